using System.Net;
using System.Text.RegularExpressions;
using DailyPapers.Accounts;
using DailyPapers.Tests.Community;
using DailyPapers.Tests.Hostile;

namespace DailyPapers.Tests.Trust;

/// <summary>
/// Defects of the page markup, as classes: every page the app routes (read from its endpoint list), anonymous and
/// signed in, with data on it, is checked for what the content security policy would break, for template text that
/// leaked into the output, and for text escaped twice.
/// </summary>
public partial class PageTests
{
    [GeneratedRegex(@"\sstyle\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineStyle();

    [GeneratedRegex(@"\son[a-z]+\s*=|<script(?![^>]*\ssrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    // Razor writes c@Comment.Id as text when it looks like an e-mail address: a leaked "@Name." in the output.
    [GeneratedRegex(@"@[A-Z][A-Za-z]+\.[A-Z]|@\(")]
    private static partial Regex RazorLeftover();

    [GeneratedRegex(@"&amp;(quot|amp|lt|gt|#x?[0-9a-fA-F]+);")]
    private static partial Regex EscapedTwice();

    static async Task<(AppFactory App, Browser Admin)> AppAsync()
    {
        var app = new AppFactory().With("Digest:Schedule", "false");
        await app.ImportAsync("hf/2026-08-21.jsonl", "arxiv/id_astro-ph_0601001_s0_m100_3150dca9dc76.json");
        var (_, token) = await Browser.UserWithTokenAsync(app, "admin@example.org", Roles.Admin);
        Assert.True((await Browser.SendAsync(app, HttpMethod.Post, $"/api/papers/{Routes.RealPaper}/comments", token, new { body = "A \"quoted\" <b>comment</b> & more" })).IsSuccessStatusCode);
        Assert.True((await Browser.SendAsync(app, HttpMethod.Post, "/api/collections", token, new { name = "Reading \"list\"", isPublic = true })).IsSuccessStatusCode);
        Assert.True((await Browser.SendAsync(app, HttpMethod.Post, "/api/collections/1/papers", token, new { arxivId = Routes.RealPaper })).IsSuccessStatusCode);
        Assert.True((await Browser.SendAsync(app, HttpMethod.Post, "/api/follows", token, new { kind = "keyword", value = "agents" })).IsSuccessStatusCode);
        var admin = new Browser(app);
        Assert.True(Browser.IsRedirectTo(await admin.SignInAsync("admin@example.org"), "/account"));
        return (app, admin);
    }

    [Fact]
    public async Task NoPageHasInlineStylesScriptsTemplateLeftoversOrDoubleEscapes()
    {
        var (app, admin) = await AppAsync();
        await using var _ = app;
        var pages = Routes.All.Where(r => r.Method == "GET" && r.Unfillable is null && !Verdict.IsApiOrFeed(r.RealPath)
                                          && !r.Pattern.StartsWith("/digest/", StringComparison.Ordinal) && !r.Pattern.EndsWith(".md", StringComparison.Ordinal)
                                          && !r.Pattern.StartsWith("/site.", StringComparison.Ordinal) && !r.Pattern.StartsWith("/favicon", StringComparison.Ordinal)).ToList();
        Assert.Contains(pages, p => p.Pattern == "/papers/{id}");
        var failures = new List<string>();
        foreach (var page in pages)
            foreach (var client in new[] { app.CreateClient(), admin.Client })
            {
                var url = page.RealPath + (page.Pattern == "/search" ? "?q=agents \"world model\"" : "");
                var r = await client.GetAsync(url);
                var html = await r.Content.ReadAsStringAsync();
                if (r.Content.Headers.ContentType?.MediaType != "text/html") continue;
                foreach (var (rule, regex) in new[] { ("inline style", InlineStyle()), ("inline script", InlineScript()), ("template leftover", RazorLeftover()), ("escaped twice", EscapedTwice()) })
                    if (regex.Match(html) is { Success: true } m)
                        failures.Add($"{url} ({(client == admin.Client ? "signed in" : "anonymous")}): {rule}: …{html[Math.Max(0, m.Index - 40)..Math.Min(html.Length, m.Index + 40)]}…");
                if (!html.Contains("<link rel=\"icon\"", StringComparison.Ordinal)) failures.Add($"{url}: no icon");
            }
        Assert.Empty(failures);
    }

    /// <summary>
    /// Lists and paper pages are the same bytes for every reader, so they can be cached and shared: no token, no
    /// "you upvoted", no name, no cookie set. The script fills those in from /api/me.
    /// </summary>
    [Fact]
    public async Task SharedPagesHoldNothingOfTheReader()
    {
        var (app, admin) = await AppAsync();
        await using var _ = app;
        Assert.True(Browser.IsRedirectTo(await admin.PostAsync($"/papers/{Routes.RealPaper}/upvote", new() { ["back"] = "/" }, "/"), "/")); // the admin upvoted
        var anonymous = app.CreateClient();
        foreach (var page in new[] { "/", "/papers?week=2026-W34", "/papers?month=2026-08", "/trending", $"/papers/{Routes.RealPaper}", "/search?q=agents", "/collections/1", "/about/trending" })
        {
            var seen = await admin.Client.GetAsync(page);
            var stranger = await anonymous.GetAsync(page);
            Assert.Equal(await stranger.Content.ReadAsStringAsync(), await seen.Content.ReadAsStringAsync());
            Assert.False(seen.Headers.Contains("Set-Cookie"), $"{page} sets a cookie");
        }
        var me = await admin.Client.GetStringAsync($"/api/me?papers={Routes.RealPaper}");
        Assert.Contains("\"signedIn\":true", me);
        Assert.Contains("\"name\":\"admin\"", me);
        Assert.Contains($"\"voted\":[\"{Routes.RealPaper}\"]", me);
    }

    [Fact]
    public async Task SmallThingsReadersMeet()
    {
        var (app, admin) = await AppAsync();
        await using var _ = app;
        var anonymous = app.CreateClient();
        // A comment's anchor is its id, so links to #c1 land on it.
        Assert.Contains("<li class=\"comment\" id=\"c1\">", await anonymous.GetStringAsync($"/papers/{Routes.RealPaper}"));
        // The header's search box submitted empty is the search page, not an error.
        var empty = await anonymous.GetAsync("/search?q=");
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Contains("placeholder=\"diffusion title:&quot;video generation&quot; author:LeCun -survey\"", await empty.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/favicon.ico")).StatusCode);
        Assert.Equal("image/svg+xml", (await anonymous.GetAsync("/favicon.svg")).Content.Headers.ContentType?.MediaType);
        // Sentences keep their spaces (Razor drops whitespace between elements).
        Assert.Matches(@"Following: keyword agents\. \d+ of these match what you follow\.", await admin.Client.GetStringAsync("/for-you"));
        // A token made on the account page survives the CSP: no inline style there any more (checked above), and the
        // page after the redirect shows it once.
        Assert.True(Browser.IsRedirectTo(await admin.PostAsync("/account/tokens", new() { ["name"] = "ci" }, "/account"), "/account"));
        Assert.Matches("<code>dp_[0-9a-f]{48}</code>", await admin.Client.GetStringAsync("/account"));
    }

    [Fact]
    public async Task ASignedInMemberOpeningAdminGetsA403PageNotTheSignInPage()
    {
        var (app, _) = await AppAsync();
        await using var _ = app;
        var member = new Browser(app);
        await member.SignUpAsync("member@example.org");
        await member.SignInAsync("member@example.org");
        var r = await member.Client.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        Assert.Equal("text/html", r.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Your role does not allow this.", await r.Content.ReadAsStringAsync());
        Assert.True(Browser.IsRedirectTo(await app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false })
            .GetAsync("/admin"), "/account/signin?ReturnUrl=%2Fadmin"));
    }

    [Theory]
    [InlineData("/no/such/page", "text/html")]
    [InlineData("/papers/not-an-id", "text/html")]
    [InlineData("/papers?date=9999-12-31", "text/html")]
    [InlineData("/api/no/such/route", "application/json")]
    [InlineData("/api/daily_papers?date=9999-12-31", "application/json")]
    [InlineData("/papers.rss?date=9999-12-31", "application/json")]
    [InlineData("/search.atom?q=", "application/json")]
    public async Task ErrorsAnswerInTheRoutesFormat(string url, string type)
    {
        await using var app = new AppFactory();
        var r = await app.CreateClient().GetAsync(url);
        Assert.InRange((int)r.StatusCode, 400, 499);
        Assert.Equal(type, r.Content.Headers.ContentType?.MediaType);
        var body = await r.Content.ReadAsStringAsync();
        Assert.Contains(type == "text/html" ? "<p class=\"notice\">" : "\"error\":\"", body);
    }
}
