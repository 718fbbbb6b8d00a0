using System.Net;
using System.Xml.Linq;
using DailyPapers.Data;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Tests.Feed;

public class PagesTests
{
    [Fact]
    public async Task TheHomePageShowsTheLatestDaysPapersWithNavigation()
    {
        await using var app = new AppFactory();
        await app.ImportAsync("hf/week-2026-W34.jsonl", "hf/2026-08-21.jsonl");
        var html = await app.CreateClient().GetStringAsync("/");
        Assert.Contains("Friday, 21 August 2026", html);
        Assert.Contains("EnvHarness: Awakening Static Worlds for Agent Learning", html);
        Assert.Contains("href=\"/papers?date=2026-08-20\"", html); // previous day with papers
        Assert.Contains("href=\"/papers?week=2026-W35\"", html);
        Assert.Contains("href=\"/papers.rss?date=2026-08-21\"", html);
        Assert.Contains("name=\"viewport\"", html);
    }

    [Theory]
    [InlineData("/papers?date=2026-08-18", "Tuesday, 18 August 2026")]
    [InlineData("/papers?week=2026-W34", "Week of 14 Aug 2026, to Thursday 20 Aug")]
    [InlineData("/papers?month=2026-08", "August 2026")]
    public async Task DayWeekAndMonthPagesRender(string url, string heading)
    {
        await using var app = new AppFactory();
        await app.ImportAsync("hf/week-2026-W34.jsonl");
        var response = await app.CreateClient().GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(WebUtility.HtmlEncode(heading), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task APaperPageShowsEverythingAboutIt()
    {
        await using var app = new AppFactory();
        await app.ImportAsync("hf/2024-05-27.jsonl", "hf/2026-08-21.jsonl");
        var html = await app.CreateClient().GetStringAsync("/papers/2405.15738");
        Assert.Contains("<h1>ConvLLaVA: Hierarchical Backbones as Visual Encoder for Large Multimodal Models</h1>", html);
        Assert.Contains("Chunjiang Ge", html);
        Assert.Contains("https://arxiv.org/abs/2405.15738", html);
        Assert.Contains("https://arxiv.org/pdf/2405.15738", html);
        Assert.Contains("href=\"/papers?date=2024-05-27\"", html);
        var withCode = await app.CreateClient().GetStringAsync("/papers/2608.19880");
        Assert.Contains("https://github.com/google-research/envharness", withCode);
        Assert.Contains("https://envharness.com/", withCode);
    }

    [Fact]
    public async Task TextFromPapersIsEscaped()
    {
        await using var app = new AppFactory();
        await app.ImportAsync(Some.File(Some.HfEntry("2601.00001", "2026-01-05", title: "<script>alert(1)</script> & friends")));
        var client = app.CreateClient();
        foreach (var url in new[] { "/", "/papers/2601.00001" })
        {
            var html = await client.GetStringAsync(url);
            Assert.DoesNotContain("<script>alert(1)</script>", html);
            Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; friends", html);
        }
    }

    [Theory]
    [InlineData("/papers?date=2026-13-45", HttpStatusCode.BadRequest)]
    [InlineData("/papers/not-an-id", HttpStatusCode.BadRequest)]
    [InlineData("/papers/2405.99999", HttpStatusCode.NotFound)]
    [InlineData("/nowhere", HttpStatusCode.NotFound)]
    public async Task BadAddressesGetAnHtmlErrorPage(string url, HttpStatusCode status)
    {
        await using var app = new AppFactory();
        var response = await app.CreateClient().GetAsync(url);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Back to the latest papers", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RssAndAtomCarryTheSameListAsTheApi()
    {
        await using var app = new AppFactory();
        await app.ImportAsync("hf/2026-08-21.jsonl");
        var client = app.CreateClient();
        var rss = XDocument.Parse(await client.GetStringAsync("/papers.rss?date=2026-08-21"));
        var atom = XDocument.Parse(await client.GetStringAsync("/papers.atom?date=2026-08-21"));
        XNamespace a = "http://www.w3.org/2005/Atom";
        var rssLinks = rss.Descendants("item").Select(i => i.Element("link")!.Value.Split("/papers/")[1]).ToList();
        var atomLinks = atom.Descendants(a + "entry").Select(e => e.Element(a + "id")!.Value.Split("/papers/")[1]).ToList();
        var json = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync("/api/daily_papers?date=2026-08-21")).RootElement
            .EnumerateArray().Select(e => e.GetProperty("paper").GetProperty("id").GetString()!).ToList();
        Assert.Equal(json, rssLinks);
        Assert.Equal(json, atomLinks);
        Assert.Equal("Fri, 21 Aug 2026 00:00:00 GMT", rss.Descendants("item").First().Element("pubDate")!.Value);
    }

    [Fact]
    public async Task FeedsSurviveControlCharactersInAbstracts()
    {
        await using var app = new AppFactory();
        await app.ImportAsync(Some.File(Some.HfEntry("2601.00001", "2026-01-05", paper: p => p["summary"] = "bell \u0007 and nul \u0000 here")));
        var rss = await app.CreateClient().GetStringAsync("/papers.rss");
        Assert.Contains("bell", XDocument.Parse(rss).Descendants("description").Last().Value);
    }

    [Fact]
    public async Task AnEmptyDatabaseGetsTheBundledSampleAtStart()
    {
        await using var app = new AppFactory().With("LoadSample", "true");
        var html = await app.CreateClient().GetStringAsync("/");
        Assert.Contains("Friday, 21 August 2026", html);
        var papers = await app.WithDbAsync(db => db.Papers.CountAsync());
        Assert.InRange(papers, 300, 1000);
    }

    [Fact]
    public async Task TheSchemaIsCreatedOnceAndRecorded()
    {
        await using var app = new AppFactory().WithEmptyDatabase();
        var pending = await app.WithDbAsync(db => new Schema(db).PendingAsync());
        Assert.Empty(pending);
        Assert.NotEmpty(Schema.All);
        if (AppFactory.Postgres is not null) return; // WAL is SQLite's
        var mode = await app.WithDbAsync(db => db.Database.SqlQueryRaw<string>("PRAGMA journal_mode").ToListAsync());
        Assert.Equal("wal", mode.Single());
    }
}
