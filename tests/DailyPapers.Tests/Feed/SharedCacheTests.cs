using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using DailyPapers.Accounts;
using Microsoft.Extensions.DependencyInjection;
using DailyPapers.Tests.Community;

namespace DailyPapers.Tests.Feed;

/// <summary>
/// The shared cache (Web/SharedCache.cs): anonymous readers get a stored copy, and every write is visible on the very
/// next request, whoever made it (this server, a CLI import in another process, a test writing to the database).
/// A hit is told by its Age header, which only the cache adds.
/// </summary>
public partial class SharedCacheTests
{
    const string Paper = "2608.19880"; // 163 upvotes imported from Hugging Face
    const string Day = "/papers?date=2026-08-21";

    static async Task<AppFactory> AppAsync()
    {
        var app = new AppFactory().With("Digest:Schedule", "false").WithoutJobs();
        await app.ImportAsync("hf/2026-08-21.jsonl");
        // What the server's keyword index job does at start (jobs are off here): otherwise the first page that
        // searches (a paper's similar papers) builds the index, a write, and the next request is rightly a miss.
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DailyPapers.Search.KeywordFeed>().CatchUpAsync();
        return app;
    }

    static async Task<(string Body, HttpResponseMessage Response)> GetAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadAsStringAsync(), response);
    }

    static bool IsHit(HttpResponseMessage r) => r.Headers.Age is not null;

    [Theory]
    [InlineData("/")]
    [InlineData(Day)]
    [InlineData("/trending")]
    [InlineData("/papers/" + Paper)]
    [InlineData("/papers.rss")]
    [InlineData("/api/daily_papers?date=2026-08-21")]
    [InlineData("/api/papers/" + Paper)]
    public async Task AnAnonymousReaderGetsTheStoredCopyTheSecondTime(string url)
    {
        await using var app = await AppAsync();
        var client = app.CreateClient();
        var (first, miss) = await GetAsync(client, url);
        var (second, hit) = await GetAsync(client, url);
        Assert.False(IsHit(miss));
        Assert.True(IsHit(hit), $"{url} was not served from the cache");
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task EveryQueryIsItsOwnCopy()
    {
        await using var app = await AppAsync();
        await app.ImportAsync("hf/week-2026-W34.jsonl");
        var client = app.CreateClient();
        foreach (var url in new[] { "/api/daily_papers?week=2026-W34&limit=5", "/api/daily_papers?week=2026-W34&limit=5&p=1", "/papers?date=2026-08-20" })
            await GetAsync(client, url);
        var (first, _) = await GetAsync(client, "/api/daily_papers?week=2026-W34&limit=5");
        var (second, hit) = await GetAsync(client, "/api/daily_papers?week=2026-W34&limit=5&p=1");
        Assert.True(IsHit(hit));
        Assert.NotEqual(first, second);
        Assert.NotEqual((await GetAsync(client, "/papers?date=2026-08-20")).Body, (await GetAsync(client, Day)).Body);
    }

    [Fact]
    public async Task AVoteIsOnTheNextListAndApiAnswer()
    {
        await using var app = await AppAsync();
        var client = app.CreateClient();
        Assert.Contains(">163</span>", (await GetAsync(client, Day)).Body);
        Assert.Contains(">163</span>", (await GetAsync(client, Day)).Body); // now stored
        Assert.Equal(163, Upvotes((await GetAsync(client, $"/api/papers/{Paper}")).Body));
        var (_, token) = await Browser.UserWithTokenAsync(app, "voter@example.org");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Browser.WithBearer(HttpMethod.Post, $"/api/papers/{Paper}/upvote", token))).StatusCode);
        Assert.Contains(">164</span>", (await GetAsync(client, Day)).Body);
        Assert.Equal(164, Upvotes((await GetAsync(client, $"/api/papers/{Paper}")).Body));
    }

    [Fact]
    public async Task AVoteWithoutScriptWorksEndToEndAndAForgedOneOnlyGetsAConfirmationPage()
    {
        await using var app = await AppAsync();
        var reader = new Browser(app);
        await reader.SignUpAsync("reader@example.org");
        await reader.SignInAsync("reader@example.org");
        var anonymous = app.CreateClient();
        await GetAsync(anonymous, Day);
        Assert.True(IsHit((await GetAsync(anonymous, Day)).Response));
        // From another site: nothing happens, a page of the reader's own asks to confirm, with a token of theirs.
        var forged = new HttpRequestMessage(HttpMethod.Post, $"/papers/{Paper}/upvote") { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["back"] = Day }) };
        forged.Headers.Add("Origin", "https://evil.example");
        forged.Headers.Add("Sec-Fetch-Site", "cross-site");
        var confirm = await reader.Client.SendAsync(forged);
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        var page = await confirm.Content.ReadAsStringAsync();
        Assert.Contains("Confirm the vote", page);
        Assert.Contains(">163</span>", (await GetAsync(anonymous, Day)).Body);
        // The confirmation page's own form (its token, no browser header) casts the vote: the shared list shows it.
        var token = TokenPattern().Match(page).Groups[1].Value;
        Assert.NotEmpty(token);
        var confirmed = await reader.Client.PostAsync($"/papers/{Paper}/upvote", new FormUrlEncodedContent(new Dictionary<string, string> { ["back"] = Day, ["__RequestVerificationToken"] = token }));
        Assert.True(Browser.IsRedirectTo(confirmed, Day), confirmed.StatusCode.ToString());
        Assert.Contains(">164</span>", (await GetAsync(anonymous, Day)).Body);
        // The plain button on the shared page (the browser vouches with Sec-Fetch-Site) toggles it back.
        Assert.True(Browser.IsRedirectTo(await reader.PostAsync($"/papers/{Paper}/upvote", new() { ["back"] = Day }, Day), Day));
        Assert.Contains(">163</span>", (await GetAsync(anonymous, Day)).Body);
    }

    [Fact]
    public async Task AHiddenPaperLeavesTheStoredListsAtOnceAndAModeratorsViewIsNeverShared()
    {
        await using var app = await AppAsync();
        var client = app.CreateClient();
        foreach (var url in new[] { Day, "/papers.rss", $"/api/papers/{Paper}" })
            for (var i = 0; i < 2; i++) await GetAsync(client, url);
        var (_, moderator) = await Browser.UserWithTokenAsync(app, "mod@example.org", Roles.Moderator);
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(Browser.WithBearer(HttpMethod.Post, $"/api/papers/{Paper}/hide", moderator))).StatusCode);
        Assert.DoesNotContain(Paper, (await GetAsync(client, Day)).Body);
        Assert.DoesNotContain(Paper, (await GetAsync(client, "/papers.rss")).Body);
        // A moderator still sees it (their request bypasses the cache); the next anonymous reader does not get that copy.
        var forModerator = await client.SendAsync(Browser.WithBearer(HttpMethod.Get, $"/api/papers/{Paper}", moderator));
        Assert.Equal(HttpStatusCode.OK, forModerator.StatusCode);
        Assert.Null(forModerator.Headers.Age);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/papers/{Paper}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/papers/{Paper}")).StatusCode);
    }

    [Fact]
    public async Task ACommentIsOnTheNextPaperPage()
    {
        await using var app = await AppAsync();
        var client = app.CreateClient();
        await GetAsync(client, $"/papers/{Paper}");
        Assert.DoesNotContain("First to comment", (await GetAsync(client, $"/papers/{Paper}")).Body);
        var (_, token) = await Browser.UserWithTokenAsync(app, "reader@example.org");
        var request = Browser.WithBearer(HttpMethod.Post, $"/api/papers/{Paper}/comments", token);
        request.Content = JsonContent.Create(new { body = "First to comment" });
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(request)).StatusCode);
        Assert.Contains("First to comment", (await GetAsync(client, $"/papers/{Paper}")).Body);
    }

    [Fact]
    public async Task AnImportInThisProcessOrByTheCliIsOnTheNextAnswer()
    {
        await using var app = await AppAsync();
        var client = app.CreateClient();
        await GetAsync(client, "/api/stats");
        var before = Papers((await GetAsync(client, "/api/stats")).Body);
        await app.ImportAsync("hf/week-2026-W34.jsonl");
        var afterImport = Papers((await GetAsync(client, "/api/stats")).Body);
        Assert.True(afterImport > before, $"{afterImport} papers after the import, {before} before");
        await GetAsync(client, "/api/stats");
        // Another process writes the same database: the server notices on the next request.
        var file = Some.File(Some.HfEntry("2608.00001", "2026-08-22", title: "Imported by the command line"));
        var (code, _, err) = await Cli.RunAsync(["import", file, .. app.DataOptions, "--no-embed"]);
        Assert.True(code == 0, err);
        Assert.Equal(afterImport + 1, Papers((await GetAsync(client, "/api/stats")).Body));
        Assert.Contains("Imported by the command line", (await GetAsync(client, "/")).Body);
    }

    [Fact]
    public async Task VisitorsNeverSeeEachOthersBytes()
    {
        await using var app = await AppAsync();
        var ada = new Browser(app);
        await ada.SignUpAsync("ada@example.org", name: "Ada Lovelace");
        await ada.SignInAsync("ada@example.org");
        var (_, bob) = await Browser.UserWithTokenAsync(app, "bob@example.org");
        var anonymous = app.CreateClient();
        foreach (var url in new[] { "/", Day, $"/papers/{Paper}", "/trending" })
        {
            var (first, miss) = await GetAsync(anonymous, url);
            var (second, hit) = await GetAsync(anonymous, url);
            // The shared page holds nothing of anyone: no token, no cookie, no name; signed in or not, the same bytes.
            Assert.DoesNotContain("__RequestVerificationToken", first);
            Assert.False(miss.Headers.Contains("Set-Cookie") || hit.Headers.Contains("Set-Cookie"), url);
            var forAda = await ada.Client.GetAsync(url);
            var forBob = await anonymous.SendAsync(Browser.WithBearer(HttpMethod.Get, url, bob));
            Assert.Null(forAda.Headers.Age); // signed-in requests neither read nor fill the shared copy
            Assert.Null(forBob.Headers.Age);
            var adaPage = await forAda.Content.ReadAsStringAsync();
            Assert.DoesNotContain("Ada Lovelace", adaPage);
            Assert.Equal(second, adaPage);
            Assert.Equal(second, await forBob.Content.ReadAsStringAsync());
        }
        // Who one is comes from /api/me, which is never stored: each visitor gets their own answer.
        var me = await ada.Client.GetAsync("/api/me");
        Assert.Contains("no-store", me.Headers.CacheControl?.ToString());
        Assert.Contains("Ada Lovelace", await me.Content.ReadAsStringAsync());
        Assert.DoesNotContain("Ada Lovelace", await anonymous.GetStringAsync("/api/me"));
    }

    [Theory]
    [InlineData("/api/daily_papers?date=2026-08-21")]
    [InlineData("/papers.rss")]
    [InlineData("/papers.atom?date=2026-08-21")]
    public async Task FeedsAndTheApiAnswer304UntilTheDataChanges(string url)
    {
        await using var app = await AppAsync();
        var client = app.CreateClient();
        var (_, first) = await GetAsync(client, url);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.True(etag.IsWeak);
        Assert.NotNull(first.Content.Headers.LastModified);
        var conditional = new HttpRequestMessage(HttpMethod.Get, url);
        conditional.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(conditional)).StatusCode);
        var (_, token) = await Browser.UserWithTokenAsync(app, "voter@example.org");
        await client.SendAsync(Browser.WithBearer(HttpMethod.Post, $"/api/papers/{Paper}/upvote", token));
        var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.IfNoneMatch.Add(etag);
        var changed = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);
    }

    static int Upvotes(string json) => JsonDocument.Parse(json).RootElement.GetProperty("upvotes").GetInt32();

    static int Papers(string json) => JsonDocument.Parse(json).RootElement.GetProperty("papers").GetInt32();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
