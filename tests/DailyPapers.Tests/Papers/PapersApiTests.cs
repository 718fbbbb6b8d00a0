using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace DailyPapers.Tests.Papers;

public class PapersApiTests
{
    [Fact]
    public async Task APaperIsServedByItsArxivId()
    {
        await using var app = new AppFactory();
        await app.ImportAsync("hf/2024-05-27.jsonl");
        var paper = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/papers/2405.15738");
        Assert.StartsWith("ConvLLaVA", paper.GetProperty("title").GetString());
        Assert.Equal(32, paper.GetProperty("upvotes").GetInt32());
        Assert.Equal("https://arxiv.org/pdf/2405.15738", paper.GetProperty("pdfUrl").GetString());
        var versioned = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/papers/2405.15738v2");
        Assert.Equal("2405.15738", versioned.GetProperty("id").GetString());
    }

    [Fact]
    public async Task PapersFromEveryImportFormatAreServed()
    {
        await using var app = new AppFactory();
        await app.ImportAsync("kaggle/arxiv-metadata-oai-snapshot.sample200.jsonl", "arxiv/id_astro-ph_0601001_s0_m100_3150dca9dc76.json",
            "oai/GetRecord_arXivRaw.xml");
        var client = app.CreateClient();
        foreach (var id in new[] { "0704.0001", "0704.0200", "astro-ph/0601001", "0804.2273" })
        {
            var paper = await client.GetFromJsonAsync<JsonElement>($"/api/papers/{id}");
            Assert.Equal(id, paper.GetProperty("id").GetString());
            Assert.NotEmpty(paper.GetProperty("categories").EnumerateArray());
        }
    }

    [Theory]
    [InlineData("/api/papers/2405.99999", HttpStatusCode.NotFound)]
    [InlineData("/api/papers/abc", HttpStatusCode.BadRequest)]
    [InlineData("/api/papers/2413.00001", HttpStatusCode.NotFound)] // id-shaped, impossible month: looked up, as Hugging Face does
    [InlineData("/api/papers/2608.19880v1%D9%A2", HttpStatusCode.BadRequest)] // an Arabic-Indic digit in the version
    [InlineData("/api/papers/2608.19880/downvote", HttpStatusCode.NotFound)]
    [InlineData("/api/papers/..%2F..%2Fetc%2Fpasswd", HttpStatusCode.BadRequest)]
    [InlineData("/api/papers/2405.15738%27%20OR%201=1", HttpStatusCode.BadRequest)]
    [InlineData("/api/papers?limit=0", HttpStatusCode.BadRequest)]
    [InlineData("/api/papers?cursor=%%%", HttpStatusCode.BadRequest)]
    [InlineData("/api/no-such-route", HttpStatusCode.NotFound)]
    public async Task BadOrUnknownIdsAnswerAJsonError(string url, HttpStatusCode status)
    {
        await using var app = new AppFactory();
        var response = await app.CreateClient().GetAsync(url);
        Assert.Equal(status, response.StatusCode);
        Assert.False(string.IsNullOrEmpty((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString()));
    }

    [Fact]
    public async Task TheCursorVisitsEveryPaperOnceInIdOrder()
    {
        await using var app = new AppFactory();
        await app.ImportAsync("kaggle/arxiv-metadata-oai-snapshot.sample200.jsonl", "arxiv/id_astro-ph_0601001_s0_m100_3150dca9dc76.json");
        var client = app.CreateClient();
        var ids = new List<string>();
        string? url = "/api/papers?limit=37";
        while (url is not null)
        {
            var response = await client.GetAsync(url);
            ids.AddRange((await response.Content.ReadFromJsonAsync<JsonElement[]>())!.Select(p => p.GetProperty("id").GetString()!));
            url = response.Headers.TryGetValues("Link", out var link) ? link.Single().Split('<', '>')[1] : null;
        }
        Assert.Equal(201, ids.Count);
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
    }

    [Fact]
    public async Task StatsCountPapersEntriesAndDates()
    {
        await using var app = new AppFactory();
        await app.ImportAsync("hf/week-2026-W34.jsonl", "kaggle/arxiv-metadata-oai-snapshot.sample200.jsonl");
        var stats = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/stats");
        Assert.Equal(315, stats.GetProperty("papers").GetInt32());
        Assert.Equal(116, stats.GetProperty("dailyEntries").GetInt32());
        Assert.Equal(5, stats.GetProperty("dates").GetInt32());
        Assert.Equal("2026-08-20", stats.GetProperty("lastDate").GetString());
    }

    [Fact]
    public async Task HealthAnswersWhenTheDatabaseDoes()
    {
        await using var app = new AppFactory();
        var response = await app.CreateClient().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task APaperAsMarkdownHasItsTitleLinksAndAbstract()
    {
        await using var app = new AppFactory();
        await app.ImportAsync("hf/2024-05-27.jsonl");
        var response = await app.CreateClient().GetAsync("/papers/2405.15738.md");
        Assert.Equal("text/markdown", response.Content.Headers.ContentType!.MediaType);
        var md = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("# ConvLLaVA", md);
        Assert.Contains("https://arxiv.org/pdf/2405.15738", md);
        Assert.Contains("Featured: 2024-05-27", md);
        Assert.Contains("## Abstract", md);
    }

    [Fact]
    public async Task TheOpenApiDocumentListsTheApi()
    {
        await using var app = new AppFactory();
        var doc = await app.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/daily_papers", paths);
        Assert.Contains("/api/papers/{id}", paths);
    }
}
