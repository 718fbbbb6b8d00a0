using System.Net;
using System.Net.Http.Json;
using DailyPapers.Accounts;
using DailyPapers.Votes;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Tests.Community;

public class VoteTests
{
    const string Paper = "2608.19880"; // 163 upvotes imported from Hugging Face

    static async Task<AppFactory> AppAsync()
    {
        var app = new AppFactory().With("Digest:Schedule", "false");
        await app.ImportAsync("hf/2026-08-21.jsonl");
        return app;
    }

    [Fact]
    public async Task AnUpvoteCountsOnceAndCanBeWithdrawn()
    {
        await using var app = await AppAsync();
        var (_, token) = await Browser.UserWithTokenAsync(app, "voter@example.org");
        var api = app.CreateClient();
        for (var i = 0; i < 2; i++)
        {
            var r = await api.SendAsync(Browser.WithBearer(HttpMethod.Post, $"/api/papers/{Paper}/upvote", token));
            Assert.Equal(new VotesApi.UpvoteResponse(Paper, true, 164), await r.Content.ReadFromJsonAsync<VotesApi.UpvoteResponse>());
        }
        Assert.Equal(164, (await api.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/papers/{Paper}")).GetProperty("upvotes").GetInt32());
        for (var i = 0; i < 2; i++)
        {
            var r = await api.SendAsync(Browser.WithBearer(HttpMethod.Delete, $"/api/papers/{Paper}/upvote", token));
            Assert.Equal(new VotesApi.UpvoteResponse(Paper, false, 163), await r.Content.ReadFromJsonAsync<VotesApi.UpvoteResponse>());
        }
    }

    [Theory]
    [InlineData("/api/papers/2608.19880/upvote", HttpStatusCode.Unauthorized)]
    [InlineData("/api/papers/9999.99999/upvote", HttpStatusCode.Unauthorized)]
    public async Task AnonymousVotesAre401(string url, HttpStatusCode status)
    {
        await using var app = await AppAsync();
        var r = await app.CreateClient().PostAsync(url, null);
        Assert.Equal(status, r.StatusCode);
        Assert.Contains("error", await r.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/api/papers/2608.99999/upvote", HttpStatusCode.NotFound)]
    [InlineData("/api/papers/not-an-id/upvote", HttpStatusCode.BadRequest)]
    // No route takes POST on that shape; the old-style id routes (math/0601001) take GET and PATCH on it, hence 405.
    [InlineData("/api/papers/2608.19880/downvote", HttpStatusCode.MethodNotAllowed)]
    public async Task BadVotesAreClear4xx(string url, HttpStatusCode status)
    {
        await using var app = await AppAsync();
        var (_, token) = await Browser.UserWithTokenAsync(app, "voter@example.org");
        Assert.Equal(status, (await app.CreateClient().SendAsync(Browser.WithBearer(HttpMethod.Post, url, token))).StatusCode);
    }

    [Fact]
    public async Task TheSessionCookieNeedsTheCsrfHeaderForApiCalls()
    {
        await using var app = await AppAsync();
        var browser = new Browser(app);
        await browser.SignUpAsync("cookie@example.org");
        await browser.SignInAsync("cookie@example.org");
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.Client.PostAsync($"/api/papers/{Paper}/upvote", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.SendAsync(await browser.ApiRequestAsync(HttpMethod.Post, $"/api/papers/{Paper}/upvote"))).StatusCode);
        Assert.Equal(1, await app.WithDbAsync(db => db.Votes.CountAsync()));
    }

    [Fact]
    public async Task WithoutScriptTheButtonPostsAFormAndComesBack()
    {
        await using var app = await AppAsync();
        var browser = new Browser(app);
        // Not signed in: to sign in, and back to the list afterwards, with the vote cast (not lost).
        Assert.True(Browser.IsRedirectTo(await browser.PostAsync($"/papers/{Paper}/upvote", new() { ["back"] = "/?date=2026-08-21" }, "/"), "/account/signin?ReturnUrl=%2F%3Fdate%3D2026-08-21"));
        await new Browser(app).SignUpAsync("form@example.org");
        var signin = await browser.PostAsync("/account/signin", new() { ["email"] = "form@example.org", ["password"] = "correct horse battery", ["ReturnUrl"] = "/?date=2026-08-21" });
        Assert.True(Browser.IsRedirectTo(signin, "/?date=2026-08-21"));
        Assert.Equal(164, await app.WithDbAsync(db => db.Papers.Where(p => p.Id == Paper).Select(p => p.ImportedUpvotes + p.LocalUpvotes).SingleAsync()));
        var page = await browser.Client.GetStringAsync("/");
        Assert.Contains($"action=\"/papers/{Paper}/upvote\"", page);
        // The same button again withdraws; a "back" elsewhere is ignored (no open redirect).
        var r = await browser.PostAsync($"/papers/{Paper}/upvote", new() { ["back"] = "//evil.example/" }, "/");
        Assert.True(Browser.IsRedirectTo(r, $"/papers/{Paper}"));
        Assert.Equal(163, await app.WithDbAsync(db => db.Papers.Where(p => p.Id == Paper).Select(p => p.ImportedUpvotes + p.LocalUpvotes).SingleAsync()));
        r = await browser.PostAsync($"/papers/{Paper}/upvote", new() { ["back"] = "/?date=2026-08-21" }, "/");
        Assert.True(Browser.IsRedirectTo(r, "/?date=2026-08-21"));
        Assert.Equal(164, await app.WithDbAsync(db => db.Papers.Where(p => p.Id == Paper).Select(p => p.ImportedUpvotes + p.LocalUpvotes).SingleAsync()));
    }

    /// <summary>The concurrency test: 64 clients cast and withdraw 1,000 votes at once; the counts stay exact.</summary>
    [Fact]
    public async Task SixtyFourClientsAndAThousandVotesLeaveExactCounts()
    {
        await using var app = await AppAsync();
        string[] papers = ["2608.19880", "2608.18580", "2608.20335", "2608.19799"];
        var users = new List<string>();
        for (var i = 0; i < 64; i++) users.Add((await Browser.UserWithTokenAsync(app, $"v{i}@example.org")).Token);
        var before = await CountsAsync(app, papers);
        var random = new Random(11);
        // Each client gets its own script of ~16 operations: upvote or withdraw on a random paper, repeats included.
        var scripts = users.Select(token => (token, ops: Enumerable.Range(0, 1000 / 64 + 1).Select(_ => (paper: papers[random.Next(papers.Length)], up: random.Next(3) > 0)).ToList())).ToList();
        await Parallel.ForEachAsync(scripts, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (s, ct) =>
        {
            using var client = app.CreateClient();
            foreach (var (paper, up) in s.ops)
            {
                var r = await client.SendAsync(Browser.WithBearer(up ? HttpMethod.Post : HttpMethod.Delete, $"/api/papers/{paper}/upvote", s.token), ct);
                Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            }
        });
        // Expected: each client's last operation on each paper decides its vote.
        var expected = papers.ToDictionary(p => p, p => scripts.Count(s => s.ops.LastOrDefault(o => o.paper == p) is { paper: not null } last && last.up));
        var after = await CountsAsync(app, papers);
        var rows = await app.WithDbAsync(db => db.Votes.GroupBy(v => v.PaperId).ToDictionaryAsync(g => g.Key, g => g.Count()));
        foreach (var p in papers)
        {
            Assert.Equal(expected[p], rows.GetValueOrDefault(p));
            Assert.Equal(before[p] + expected[p], after[p]);
        }
    }

    static Task<Dictionary<string, int>> CountsAsync(AppFactory app, string[] ids) =>
        app.WithDbAsync(db => db.Papers.Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.ImportedUpvotes + p.LocalUpvotes));
}

public class TrendingTests
{
    static readonly DateTime Featured = new(2026, 8, 21, 0, 0, 0, DateTimeKind.Utc);

    [Theory]
    // upvotes, comments, hours since featured, expected score
    [InlineData(10, 0, 0, 1.8119492)]    // 10^0.8 / 2^1.8 = 6.3095734 / 3.4822022
    [InlineData(10, 0, 22, 0.0206833)]   // 6.3095734 / 24^1.8
    [InlineData(10, 4, 22, 0.0239312)]   // 12 points
    [InlineData(10, 40, 22, 0.0286083)]  // comments capped at the votes: 15 points
    [InlineData(0, 5, 1, 0)]             // comments alone are nothing
    [InlineData(100, 0, 24, 0.1129921)]
    public void ScoresAreExact(int upvotes, int comments, double hours, double expected)
    {
        Assert.Equal(expected, Trending.Score(upvotes, comments, Featured, Featured.AddHours(hours)), 5);
    }

    [Fact]
    public void NewerPapersNeedFewerVotes()
    {
        var now = Featured.AddHours(30);
        Assert.True(Trending.Score(20, 0, now.AddHours(-2), now) > Trending.Score(150, 0, now.AddHours(-30), now));
        Assert.True(Trending.Score(11, 0, Featured, now) > Trending.Score(10, 0, Featured, now));
        Assert.Equal(Trending.Score(5, 0, now, now), Trending.Score(5, 0, now.AddHours(1), now)); // not negative age
    }

    [Fact]
    public void TheExplanationShowsTheNumbers()
    {
        Assert.Equal("10 upvotes + 0.5 × 4 counted comments = 12 points; 12^0.8 / (22 h + 2)^1.8 = 0.023931",
            Trending.Explain(10, 4, Featured, Featured.AddHours(22)));
    }
}

public class TrendingListTests
{
    [Fact]
    public async Task AVoteMovesAPaperUpTheTrendingListAndItsFeeds()
    {
        var clock = new DailyPapers.Tests.Digest.TestClock(new DateTimeOffset(2026, 8, 21, 12, 0, 0, TimeSpan.Zero));
        await using var app = new AppFactory().With("Digest:Schedule", "false")
            .WithServices(s => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<TimeProvider>(s, clock));
        await app.ImportAsync("hf/2026-08-21.jsonl");
        var (_, cli, _) = await RefreshAsync(app);
        var api = app.CreateClient();
        var list = await api.GetFromJsonAsync<System.Text.Json.JsonElement[]>("/api/trending?limit=5");
        Assert.Equal("2608.19880", list![0].GetProperty("paper").GetProperty("id").GetString()); // 163 upvotes, the day's top
        Assert.True(list[0].GetProperty("trending").GetDouble() > list[1].GetProperty("trending").GetDouble());

        // 60 votes for the day's last paper lift it above the second (54 upvotes).
        var last = "2608.13210";
        for (var i = 0; i < 60; i++)
        {
            var (_, token) = await Browser.UserWithTokenAsync(app, $"fan{i}@example.org");
            Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(Browser.WithBearer(HttpMethod.Post, $"/api/papers/{last}/upvote", token))).StatusCode);
        }
        list = await api.GetFromJsonAsync<System.Text.Json.JsonElement[]>("/api/trending?limit=5");
        Assert.Equal(["2608.19880", last], list!.Take(2).Select(e => e.GetProperty("paper").GetProperty("id").GetString()));
        var day = await api.GetFromJsonAsync<System.Text.Json.JsonElement[]>("/api/daily_papers?date=2026-08-21&sort=trending&limit=2");
        Assert.Equal(last, day![1].GetProperty("paper").GetProperty("id").GetString());
        Assert.Contains(last, await api.GetStringAsync("/trending.rss"));
        Assert.Contains("points ^ 0.8", await api.GetStringAsync("/about/trending"));
        Assert.Contains("<dt>Trending</dt><dd>61 upvotes", await api.GetStringAsync($"/papers/{last}")); // 1 imported + 60 cast
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync("/api/trending?limit=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync("/api/daily_papers?sort=hot")).StatusCode);
    }

    static async Task<(int, string, string)> RefreshAsync(AppFactory app) =>
        (await app.WithDbAsync(db => TrendingScores.RefreshAllAsync(db, new DateTime(2026, 8, 21, 12, 0, 0, DateTimeKind.Utc))), "", "");
}
