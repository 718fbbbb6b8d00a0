using System.Net;
using System.Text.RegularExpressions;
using DailyPapers.Accounts;
using DailyPapers.Ingest;
using DailyPapers.Tests.Community;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace DailyPapers.Tests.InBrowser;

/// <summary>
/// What every browser test shares: the real app served by Kestrel on a loopback port the system picks, with a week of
/// Hugging Face papers; smtp4dev for its mail; and one headless Debian Chromium driven by Playwright. Each test opens
/// its own browser context (fresh cookies, its own script setting), so tests do not see each other's sessions.
/// </summary>
public sealed class BrowserHub : IAsyncLifetime
{
    public const string Password = "correct horse battery";
    /// <summary>Debian's package: the suite never downloads a browser (test.sh installs this one when missing).</summary>
    public const string Chromium = "/usr/bin/chromium";

    public Smtp4dev Smtp { get; } = new();
    public AppFactory App { get; private set; } = null!;
    /// <summary>Where Kestrel listens, e.g. http://127.0.0.1:40123 (no trailing slash).</summary>
    public string BaseUrl { get; private set; } = "";
    /// <summary>An admin made before any test runs, so no test becomes admin by signing up first.</summary>
    public string AdminEmail { get; } = "admin@example.org";
    IPlaywright playwright = null!;
    IBrowser browser = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium)) throw new InvalidOperationException($"{Chromium} is missing: run ./test.sh, which installs Debian's chromium package");
        await Smtp.InitializeAsync();
        App = Serve(Smtp);
        BaseUrl = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        await Seed.RunAsync(this);
        // How long an assertion may wait for the page to get there (not how fast it must be): a CI machine running the
        // rest of the suite beside this one can be much slower than Playwright's 5 s default expects.
        Assertions.SetDefaultExpectTimeout(20_000);
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            // No sandbox: Chromium refuses to start its sandbox as root, and CI machines run the suite as root. The rest
            // keeps the browser from calling home (updates, sync, field trials): the suite runs offline.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>
    /// The app on Kestrel with mail to smtp4dev. Links in mails use the address Kestrel bound (no PublicUrl), so the
    /// browser can follow them. Rate limits are raised: every test signs in from the same loopback address.
    /// </summary>
    static AppFactory Serve(Smtp4dev smtp)
    {
        var app = new AppFactory()
            .With("Mail:Host", "127.0.0.1").With("Mail:Port", smtp.SmtpPort.ToString()).With("Mail:Security", "none")
            .With("Mail:MaxPerSecond", "0").With("Digest:Schedule", "false").With("RateLimits:Accounts", "10000");
        app.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        app.StartServer();
        return app;
    }

    /// <summary>
    /// A fresh browser context (its own cookies) and a page in it; the context closes with the test's scope. Locale and
    /// time zone are fixed so that date inputs and screenshots look the same on every machine.
    /// </summary>
    public async Task<IPage> PageAsync(Scope scope, bool script = true, ColorScheme scheme = ColorScheme.Light)
    {
        var context = await browser.NewContextAsync(new()
        {
            BaseURL = BaseUrl,
            JavaScriptEnabled = script,
            ColorScheme = scheme,
            ViewportSize = new() { Width = 1280, Height = 800 },
            Locale = "en-GB",
            TimezoneId = "UTC",
        });
        scope.Add(context);
        return await context.NewPageAsync();
    }

    /// <summary>An account made through the app's own service (the sign-up form has its own test); returns its address.</summary>
    public async Task<string> AccountAsync(string name, string? role = null)
    {
        var email = $"{name.ToLowerInvariant()}-{Guid.NewGuid():N}@example.org";
        await using var scope = App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AccountService>().SignUpAsync(email, name, Password, role);
        return email;
    }

    /// <summary>Signs in through the form, from the sign-in page.</summary>
    public static async Task SignInAsync(IPage page, string email, string returnUrl = "/account")
    {
        await page.GotoAsync("/account/signin?ReturnUrl=" + Uri.EscapeDataString(returnUrl));
        await SubmitSignInAsync(page, email);
    }

    /// <summary>Fills and submits the sign-in form the page shows.</summary>
    public static async Task SubmitSignInAsync(IPage page, string email)
    {
        // The form, not the page: the subscribe box on every page is labelled with "email" too.
        var form = page.Locator("main form[action='/account/signin']");
        await form.GetByLabel("Email").FillAsync(email);
        await form.GetByLabel("Password").FillAsync(Password);
        await form.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>The path and query of the first link to `path` in a mail's text part, as a reader would click it.</summary>
    public string MailLink(MimeKit.MimeMessage mail, string path)
    {
        var match = Regex.Match(mail.TextBody ?? "", Regex.Escape(BaseUrl + path) + @"\?token=[A-Za-z0-9_\-%]+");
        Assert.True(match.Success, $"no {BaseUrl}{path} link in:\n{mail.TextBody}");
        return match.Value[BaseUrl.Length..];
    }

    // AppFactory.WithDbAsync reaches for the in-memory TestServer, which a Kestrel-served factory does not have.
    public async Task<T> DbAsync<T>(Func<Data.AppDb, Task<T>> query)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<Data.AppDb>());
    }

    public async Task DisposeAsync()
    {
        if (browser is not null) await browser.CloseAsync();
        playwright?.Dispose();
        if (App is not null) await App.DisposeAsync();
        await Smtp.DisposeAsync();
    }

    /// <summary>Closes what a test opened, when the test ends: `await using var scope = new Scope();`.</summary>
    public sealed class Scope : IAsyncDisposable
    {
        readonly List<IBrowserContext> contexts = [];

        public void Add(IBrowserContext context) => contexts.Add(context);

        public async ValueTask DisposeAsync()
        {
            foreach (var c in contexts) await c.CloseAsync();
        }
    }
}

/// <summary>The data every browser test may rely on (and the page sweep's route fillers name).</summary>
static class Seed
{
    /// <summary>
    /// A day and the week around it from Hugging Face, plus the old-style paper the route fillers name; an admin; and
    /// row 1 in the tables the sweep's pages read (a comment, a public collection holding a paper).
    /// </summary>
    public static async Task RunAsync(BrowserHub hub)
    {
        foreach (var fixture in new[] { "hf/week-2026-W34.jsonl", "hf/2026-08-21.jsonl", "arxiv/id_astro-ph_0601001_s0_m100_3150dca9dc76.json" })
            await ImportAsync(hub.App, fixture);
        await WithCategoriesAsync(hub);
        var (_, token) = await Browser.UserWithTokenAsync(hub.App, hub.AdminEmail, Roles.Admin);
        await ApiAsync(hub, token, "POST", $"/api/papers/{Hostile.Routes.RealPaper}/comments", new { body = "A first comment." });
        await ApiAsync(hub, token, "POST", "/api/collections", new { name = "Reading list", isPublic = true });
        await ApiAsync(hub, token, "POST", "/api/collections/1/papers", new { arxivId = Hostile.Routes.RealPaper });
    }

    static async Task ImportAsync(AppFactory app, string fixture)
    {
        await using var scope = app.Services.CreateAsyncScope();
        using var input = InputFile.Open(Fixture.Path(fixture));
        await scope.ServiceProvider.GetRequiredService<Importer>().ImportAsync(input.Records());
    }

    /// <summary>
    /// Hugging Face's lists carry no arXiv categories (those come with an arXiv import): give three papers with code
    /// categories, as an import would, so the category filter has something to keep and something to leave out.
    /// </summary>
    public static readonly Dictionary<string, string> Categories = new()
    {
        ["2608.19880"] = "cs.AI cs.CL",
        ["2608.20202"] = "cs.CL",
        ["2608.14022"] = "cs.CV",
    };

    static async Task WithCategoriesAsync(BrowserHub hub)
    {
        foreach (var (id, categories) in Categories)
            await hub.DbAsync(db => db.Papers.Where(p => p.Id == id).ExecuteUpdateAsync(s => s.SetProperty(p => p.Categories, categories)));
    }

    static async Task ApiAsync(BrowserHub hub, string token, string method, string url, object body)
    {
        using var http = new HttpClient { BaseAddress = new Uri(hub.BaseUrl) };
        var request = Browser.WithBearer(new HttpMethod(method), url, token);
        request.Content = System.Net.Http.Json.JsonContent.Create(body);
        var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"seed: {method} {url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}

[CollectionDefinition("browser")]
public sealed class BrowserCollection : ICollectionFixture<BrowserHub>;
