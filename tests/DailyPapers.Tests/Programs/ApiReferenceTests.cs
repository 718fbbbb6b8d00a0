using System.Net;
using System.Text.RegularExpressions;
using DailyPapers.Tests.InBrowser;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace DailyPapers.Tests.Programs;

/// <summary>The reference page at /api/docs: Scalar served by the app itself, and nothing loaded from anywhere else.</summary>
public sealed class ApiReferenceTests
{
    [Fact]
    public async Task ThePageAndItsScriptsComeFromTheApp()
    {
        await using var app = new AppFactory();
        var client = app.CreateClient();
        var page = await client.GetAsync("/api/docs/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("http", html, StringComparison.OrdinalIgnoreCase);
        var scripts = Regex.Matches(html, "<script[^>]*src=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(scripts);
        foreach (var script in scripts)
        {
            var response = await client.GetAsync("/api/docs/" + script);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("javascript", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task OnlyThisPagesOwnInlineScriptMayRun()
    {
        await using var app = new AppFactory();
        var client = app.CreateClient();
        var first = await client.GetAsync("/api/docs/");
        var policy = first.Headers.GetValues("Content-Security-Policy").Single();
        var nonce = Regex.Match(policy, "'nonce-([^']+)'").Groups[1].Value;
        Assert.NotEmpty(nonce);
        Assert.Contains($"nonce=\"{WebUtility.HtmlEncode(nonce).Replace("+", "&#x2B;")}\"", await first.Content.ReadAsStringAsync());
        Assert.Contains("default-src 'self'", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.DoesNotContain("unsafe-eval", policy);
        var second = (await client.GetAsync("/api/docs/")).Headers.GetValues("Content-Security-Policy").Single();
        Assert.NotEqual(policy, second);
        // Every other page keeps the site's policy, with no nonce and no inline style.
        var other = (await client.GetAsync("/api/stats")).Headers.GetValues("Content-Security-Policy").Single();
        Assert.Equal(global::DailyPapers.Web.SecurityHeaders.Policy, other);
    }

    [Fact]
    public async Task InABrowserThePageDrawsTheApiWithoutCallingAnotherHost()
    {
        if (!File.Exists(BrowserHub.Chromium)) throw new InvalidOperationException($"{BrowserHub.Chromium} is missing: run ./test.sh, which installs Debian's chromium package");
        await using var app = new AppFactory();
        app.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        app.StartServer();
        var origin = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = BrowserHub.Chromium, Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync();
        var requests = new List<string>();
        var violations = new List<string>();
        page.Request += (_, r) => requests.Add(r.Url);
        page.Console += (_, m) => { if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) violations.Add(m.Text); };
        await page.GotoAsync(origin + "/api/docs/");
        await Assertions.Expect(page.GetByText("Featured papers of a day").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        Assert.Contains(origin + "/openapi/v1.json", requests);
        Assert.DoesNotContain(requests, u => !u.StartsWith(origin + "/", StringComparison.Ordinal) && !u.StartsWith("data:", StringComparison.Ordinal));
        Assert.Empty(violations);
    }
}
