using System.Net;
using DailyPapers.Accounts;
using DailyPapers.Tests.Digest;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DailyPapers.Tests.Community;

public class AccountTests
{
    static readonly DateTimeOffset Start = new(2026, 8, 21, 9, 0, 0, TimeSpan.Zero);

    static AppFactory App(TestClock? clock = null)
    {
        var app = new AppFactory().With("Mail:MaxPerSecond", "0").With("Digest:Schedule", "false").With("PublicUrl", "https://papers.test");
        if (clock is not null) app.WithServices(s => s.AddSingleton<TimeProvider>(clock));
        return app;
    }

    /// <summary>The link to `path` in the newest mail to `email` the app wrote to its outbox folder (no SMTP server set).</summary>
    static async Task<string> MailedLinkAsync(AppFactory app, string email, string path, int count = 1)
    {
        var pattern = "https://papers\\.test" + System.Text.RegularExpressions.Regex.Escape(path) + @"\?token=[A-Za-z0-9_\-%]+";
        // Any mail to the address with such a link (Date has whole seconds: two mails may share one).
        var links = await Eventually.Until(
            async () => (await MailsToAsync(app, email)).Select(m => System.Text.RegularExpressions.Regex.Match(m.TextBody ?? "", pattern)).Where(m => m.Success).ToList(),
            found => found.Count >= count, $"{count} mail(s) to {email} with a {path} link", show: found => $"{found.Count} such mail(s)");
        return links[^1].Value["https://papers.test".Length..];
    }

    static async Task<List<string>> SubjectsAsync(AppFactory app, string email, int count) =>
        await Eventually.Until(async () => (await MailsToAsync(app, email)).Select(m => m.Subject ?? "").ToList(),
            subjects => subjects.Count >= count, $"{count} mail(s) to {email}", show: subjects => string.Join(" | ", subjects));

    /// <summary>The mails to `email` in the app's outbox folder so far.</summary>
    static async Task<List<MimeKit.MimeMessage>> MailsToAsync(AppFactory app, string email)
    {
        var folder = Path.Combine(app.DataDir, "outbox");
        var mails = new List<MimeKit.MimeMessage>();
        foreach (var f in Directory.Exists(folder) ? Directory.GetFiles(folder, "*.eml") : [])
            if (await MimeKit.MimeMessage.LoadAsync(f) is var m && m.To.Mailboxes.Any(a => a.Address == email)) mails.Add(m);
        return mails;
    }

    [Fact]
    public async Task SignUpSignInAndOutTheFirstAccountIsAdmin()
    {
        await using var app = App();
        var browser = new Browser(app);
        var signup = await browser.SignUpAsync("ada@example.org");
        Assert.True(Browser.IsRedirectTo(signup, "/account/signin"), signup.StatusCode.ToString()); // Post/Redirect/Get
        Assert.Contains("a message is on its way", await browser.Client.GetStringAsync("/account/signin"));
        Assert.DoesNotContain("a message is on its way", await browser.Client.GetStringAsync("/account/signin")); // shown once
        await new Browser(app).SignUpAsync("bob@example.org", name: "Bob");
        var roles = await app.WithDbAsync(db => db.Users.OrderBy(u => u.Id).Select(u => u.Role).ToListAsync());
        Assert.Equal([Roles.Admin, Roles.Member], roles);

        var signin = await browser.SignInAsync("ADA@example.org ");
        Assert.True(Browser.IsRedirectTo(signin, "/account"), signin.StatusCode.ToString());
        var cookie = signin.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("dp_session="));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Signed in as <b>Ada</b>", await browser.Client.GetStringAsync("/account"));

        var signout = await browser.PostAsync("/account/signout", [], "/account");
        Assert.True(Browser.IsRedirectTo(signout, "/account/signin"));
        Assert.True(Browser.IsRedirectTo(await browser.Client.GetAsync("/account"), "/account/signin?ReturnUrl=%2Faccount"));
    }

    [Fact]
    public async Task AnswersNeverRevealWhetherAnAddressHasAnAccount()
    {
        await using var app = App();
        await new Browser(app).SignUpAsync("taken@example.org");
        var again = await new Browser(app).SignUpAsync("taken@example.org");
        var fresh = await new Browser(app).SignUpAsync("free@example.org");
        Assert.Equal(fresh.StatusCode, again.StatusCode);
        Assert.Equal(Strip(await fresh.Content.ReadAsStringAsync()), Strip(await again.Content.ReadAsStringAsync()));
        // The owner learns what happened by mail instead: the verification of the first sign-up, then a notice.
        await MailedLinkAsync(app, "taken@example.org", "/account/verify");
        var subjects = await SubjectsAsync(app, "taken@example.org", 2);
        Assert.Contains("Your DailyPapers account", subjects);

        var known = await new Browser(app).PostAsync("/account/forgot", new() { ["email"] = "taken@example.org" }, "/account/forgot");
        var unknown = await new Browser(app).PostAsync("/account/forgot", new() { ["email"] = "nobody@example.org" }, "/account/forgot");
        Assert.Equal(Strip(await known.Content.ReadAsStringAsync()), Strip(await unknown.Content.ReadAsStringAsync()));
        var wrongUser = await new Browser(app).SignInAsync("nobody@example.org");
        var wrongPassword = await new Browser(app).SignInAsync("taken@example.org", "not the password");
        Assert.Equal(Strip(await wrongUser.Content.ReadAsStringAsync()), Strip(await wrongPassword.Content.ReadAsStringAsync()));
    }

    // Pages differ only in their antiforgery tokens.
    static string Strip(string html) => System.Text.RegularExpressions.Regex.Replace(html, "value=\"CfDJ8[^\"]+\"", "");

    [Fact]
    public async Task FiveWrongPasswordsLockTheAccountForAWhile()
    {
        var clock = new TestClock(Start);
        await using var app = App(clock);
        var browser = new Browser(app);
        await browser.SignUpAsync("lock@example.org");
        for (var i = 0; i < AccountRules.MaxFailedLogins - 1; i++)
            Assert.Equal(HttpStatusCode.BadRequest, (await browser.SignInAsync("lock@example.org", "wrong password")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await browser.SignInAsync("lock@example.org", "wrong password")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await browser.SignInAsync("lock@example.org")).StatusCode); // even the right one
        clock.Now = Start + AccountRules.Lockout + TimeSpan.FromSeconds(1);
        Assert.True(Browser.IsRedirectTo(await browser.SignInAsync("lock@example.org"), "/account"));
    }

    [Fact]
    public async Task TheVerificationLinkConfirmsTheAddressAndForgedOnesAreRefused()
    {
        await using var app = App();
        var browser = new Browser(app);
        await browser.SignUpAsync("verify@example.org");
        var link = await MailedLinkAsync(app, "verify@example.org", "/account/verify");
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.Client.GetAsync("/account/verify?token=forged")).StatusCode);
        Assert.False(await app.WithDbAsync(db => db.Users.Select(u => u.EmailConfirmed).SingleAsync()));
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync(link)).StatusCode);
        Assert.True(await app.WithDbAsync(db => db.Users.Select(u => u.EmailConfirmed).SingleAsync()));
    }

    [Fact]
    public async Task APasswordResetEndsOtherSessionsAndItsLinkWorksOnce()
    {
        await using var app = App();
        var old = new Browser(app);
        await old.SignUpAsync("reset@example.org");
        await old.SignInAsync("reset@example.org");
        Assert.Equal(HttpStatusCode.OK, (await old.Client.GetAsync("/account")).StatusCode);

        var other = new Browser(app);
        await other.PostAsync("/account/forgot", new() { ["email"] = "reset@example.org" }, "/account/forgot");
        var link = await MailedLinkAsync(app, "reset@example.org", "/account/reset");
        var token = Uri.UnescapeDataString(link.Split("token=")[1]);
        Assert.Equal(HttpStatusCode.BadRequest, (await other.PostAsync("/account/reset", new() { ["token"] = token, ["password"] = "short" }, link)).StatusCode);
        Assert.True(Browser.IsRedirectTo(await other.PostAsync("/account/reset", new() { ["token"] = token, ["password"] = "a brand new passphrase" }, link), "/account/signin"));
        Assert.Equal(HttpStatusCode.BadRequest, (await other.PostAsync("/account/reset", new() { ["token"] = token, ["password"] = "yet another passphrase" }, link)).StatusCode);

        Assert.True(Browser.IsRedirectTo(await old.Client.GetAsync("/account"), "/account/signin?ReturnUrl=%2Faccount")); // session ended
        Assert.Equal(HttpStatusCode.BadRequest, (await other.SignInAsync("reset@example.org")).StatusCode);
        Assert.True(Browser.IsRedirectTo(await other.SignInAsync("reset@example.org", "a brand new passphrase"), "/account"));
    }

    [Fact]
    public async Task FormsWithoutTheirAntiforgeryTokenAreRefused()
    {
        await using var app = App();
        var browser = new Browser(app);
        await browser.SignUpAsync("csrf@example.org");
        var noToken = await browser.PostAsync("/account/signin", new() { ["email"] = "csrf@example.org", ["password"] = "correct horse battery" }, tokenFrom: null);
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        // A token from another visitor's session is no good either.
        var stranger = await new Browser(app).TokenAsync();
        var response = await browser.Client.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
            { ["email"] = "csrf@example.org", ["password"] = "correct horse battery", ["__RequestVerificationToken"] = stranger }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task BadSignUpsAreRefusedWithAReason()
    {
        await using var app = App();
        foreach (var (email, name, password) in new[] { ("not-an-address", "Ada", "correct horse battery"), ("a@example.org", "", "correct horse battery"),
                     ("a@example.org", "Ada", "short"), ("a@example.org\r\nBcc: x@y.z", "Ada", "correct horse battery"), ("a@example.org", new string('n', 51), "correct horse battery") })
        {
            var r = await new Browser(app).PostAsync("/account/signup", new() { ["email"] = email, ["name"] = name, ["password"] = password }, "/account/signup");
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        }
        Assert.Equal(0, await app.WithDbAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public async Task SignInIsRateLimitedWithRetryAfter()
    {
        // A small limit in an hour-long window: the fourth attempt is refused, however slow the machine (a real
        // one-minute window could roll over between attempts).
        await using var app = App().With("RateLimits:Accounts", "3").With("RateLimits:WindowSeconds", "3600");
        var browser = new Browser(app);
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.BadRequest, (await browser.SignInAsync($"user{i}@example.org")).StatusCode);
        var refused = await browser.SignInAsync("user3@example.org");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.InRange(refused.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromMinutes(50), TimeSpan.FromHours(1));
        Assert.Contains("too many requests", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ApiTokensActForTheirOwnerUntilRevoked()
    {
        await using var app = App();
        await app.ImportAsync("hf/2026-08-21.jsonl");
        var browser = new Browser(app);
        await browser.SignUpAsync("script@example.org");
        await browser.SignInAsync("script@example.org");
        Assert.True(Browser.IsRedirectTo(await browser.PostAsync("/account/tokens", new() { ["name"] = "my script" }, "/account"), "/account"));
        var page = await browser.Client.GetStringAsync("/account"); // Post/Redirect/Get: a reload creates no second token
        var secret = System.Text.RegularExpressions.Regex.Match(page, "dp_[0-9a-f]{48}").Value;
        Assert.NotEmpty(secret);
        Assert.DoesNotContain(secret, await browser.Client.GetStringAsync("/account")); // shown once
        Assert.Equal(1, await app.WithDbAsync(db => db.ApiTokens.CountAsync()));
        Assert.NotEqual(secret, await app.WithDbAsync(db => db.ApiTokens.Select(t => t.Hash).SingleAsync())); // stored hashed

        var api = app.CreateClient();
        var vote = await api.SendAsync(Browser.WithBearer(HttpMethod.Post, "/api/papers/2608.19880/upvote", secret));
        Assert.Equal(HttpStatusCode.OK, vote.StatusCode);
        var id = await app.WithDbAsync(db => db.ApiTokens.Select(t => t.Id).SingleAsync());
        Assert.True(Browser.IsRedirectTo(await browser.PostAsync($"/account/tokens/{id}/revoke", [], "/account"), "/account"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.SendAsync(Browser.WithBearer(HttpMethod.Delete, "/api/papers/2608.19880/upvote", secret))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.SendAsync(Browser.WithBearer(HttpMethod.Post, "/api/papers/2608.19880/upvote", "dp_" + new string('0', 48)))).StatusCode);
    }

    [Fact]
    public async Task EveryResponseCarriesTheSecurityHeaders()
    {
        await using var app = App();
        var r = await app.CreateClient().GetAsync("/account/signin");
        Assert.Contains("default-src 'self'", r.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", r.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", r.Headers.GetValues("X-Frame-Options").Single());
    }
}

public class ProductionOverHttpTests
{
    /// <summary>`dotnet run` serves plain HTTP in Production: every page with a form must still render it, antiforgery token included.</summary>
    [Fact]
    public async Task PagesWithFormsRenderOverPlainHttpInProduction()
    {
        await using var app = new AppFactory().With("Digest:Schedule", "false");
        await app.ImportAsync("hf/2026-08-21.jsonl");
        await using var production = app.WithWebHostBuilder(b => Microsoft.AspNetCore.Hosting.HostingAbstractionsWebHostBuilderExtensions.UseEnvironment(b, "Production"));
        var client = production.CreateClient();
        const string upvote = "/papers/2608.19880/upvote";
        // The page, the form it must show, and whether that form carries an antiforgery token: the account pages' do;
        // pages every reader shares (lists, papers, search) carry nothing of the reader, so their forms have none (the
        // server takes them on the browser's word that they came from this site, Auth.FormFromThisSiteAsync).
        foreach (var (page, method, action, antiforgery) in new[] { ("/", "post", upvote, false), ("/trending", "post", upvote, false),
                     ("/papers/2608.19880", "post", upvote, false), ("/account/signin", "post", "/account/signin", true),
                     ("/account/signup", "post", "/account/signup", true), ("/search?q=agents", "get", "/search", false), ("/search?q=agents", "post", "/subscribe", false) })
        {
            var response = await client.GetAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{page}: {response.StatusCode}");
            var form = Form(await response.Content.ReadAsStringAsync(), method, action);
            Assert.True(form is not null, $"{page} has no {method} form to {action}");
            if (antiforgery) Assert.Matches("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"CfDJ8[^\"]+\"", form);
        }
    }

    /// <summary>The first form in the page with that method and action, from its opening tag to its end.</summary>
    static string? Form(string html, string method, string action)
    {
        var match = System.Text.RegularExpressions.Regex.Match(html,
            $"<form[^>]*method=\"{method}\"[^>]*action=\"{System.Text.RegularExpressions.Regex.Escape(action)}\"[^>]*>.*?</form>",
            System.Text.RegularExpressions.RegexOptions.Singleline | System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        return match.Success ? match.Value : null;
    }
}
