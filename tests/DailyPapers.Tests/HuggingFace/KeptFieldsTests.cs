using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace DailyPapers.Tests.HuggingFace;

/// <summary>What Hugging Face sends is kept on import and served as sent; what it did not send is served empty.</summary>
public sealed class KeptFieldsTests
{
    [Fact]
    public async Task FieldsHuggingFaceSendsAreKeptAndServed()
    {
        await using var app = new AppFactory();
        await app.ImportAsync("hf/documented-shape.jsonl");
        var entry = (await app.CreateClient().GetFromJsonAsync<JsonElement[]>("/api/daily_papers?date=2026-08-21"))!.Single();
        Assert.Equal("nvidia", entry.GetProperty("submitterOrganization").GetProperty("name").GetString());
        var paper = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/papers/2608.99001");
        Assert.Equal("Qwen/Qwen3-235B-A22B", paper.GetProperty("ai_summary_model").GetString());
        Assert.Equal("2026-08-22T10:11:12.000Z", paper.GetProperty("withdrawnAt").GetString());
        Assert.Equal("[{\"id\":\"org/model-a\",\"likes\":3}]", paper.GetProperty("linkedModels").GetRawText());
        Assert.Equal("[{\"id\":\"org/data-a\"}]", paper.GetProperty("linkedDatasets").GetRawText());
        Assert.Equal("[]", paper.GetProperty("linkedSpaces").GetRawText());
        Assert.Equal((12, 1, 0), (paper.GetProperty("numTotalModels").GetInt32(), paper.GetProperty("numTotalDatasets").GetInt32(),
            paper.GetProperty("numTotalSpaces").GetInt32()));
        Assert.Equal("A Paper With Every Field\n  Hugging Face Documents", paper.GetProperty("title").GetString());
        Assert.Equal("A Paper With Every Field Hugging Face Documents", entry.GetProperty("title").GetString());
    }

    [Fact]
    public async Task WithoutThemLinkedArtifactsAreEmptyAndTotalsZero()
    {
        await using var app = new AppFactory();
        await app.ImportAsync("hf/2026-08-21.jsonl");
        var paper = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/papers/2608.13210");
        foreach (var key in new[] { "linkedModels", "linkedDatasets", "linkedSpaces" }) Assert.Equal("[]", paper.GetProperty(key).GetRawText());
        foreach (var key in new[] { "numTotalModels", "numTotalDatasets", "numTotalSpaces" }) Assert.Equal(0, paper.GetProperty(key).GetInt32());
        Assert.False(paper.TryGetProperty("ai_summary_model", out _));
        Assert.False(paper.TryGetProperty("withdrawnAt", out _));
    }

    [Fact]
    public async Task The2024ListsMediaUrlIsServedAsSentAndTitlesKeepArxivsLineBreaks()
    {
        await using var app = new AppFactory();
        await app.ImportAsync("hf/2024-05-27.jsonl");
        var sent = Fixture.Lines("hf/2024-05-27.jsonl").Select(Some.Json).ToDictionary(e => e.GetProperty("paper").GetProperty("id").GetString()!);
        var ours = (await app.CreateClient().GetFromJsonAsync<JsonElement[]>("/api/daily_papers?date=2024-05-27&limit=100"))!;
        Assert.Equal(sent.Count, ours.Length);
        foreach (var entry in ours)
        {
            var hf = sent[entry.GetProperty("paper").GetProperty("id").GetString()!];
            Assert.Equal(hf.GetProperty("mediaUrl").GetString(), entry.GetProperty("mediaUrl").GetString());
            Assert.Equal(hf.GetProperty("paper").GetProperty("title").GetString(), entry.GetProperty("paper").GetProperty("title").GetString());
            Assert.Equal(hf.GetProperty("title").GetString(), entry.GetProperty("title").GetString());
        }
    }

    [Fact]
    public async Task ArxivsCommentLineIsArxivCommentAndCommentsStayACount()
    {
        await using var app = new AppFactory();
        await app.ImportAsync("kaggle/arxiv-metadata-oai-snapshot.sample200.jsonl");
        var paper = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/papers/0704.0001");
        Assert.Equal("37 pages, 15 figures; published version", paper.GetProperty("arxivComment").GetString());
        Assert.False(paper.TryGetProperty("comments", out _));
        Assert.Equal(0, paper.GetProperty("numComments").GetInt32());
    }

    [Theory]
    [InlineData("/api/papers/1234.56789")]
    [InlineData("/papers/1234.56789")]
    [InlineData("/papers/1234.56789.md")]
    [InlineData("/api/papers/1234.56789/similar")]
    [InlineData("/api/papers/1234.56789/comments")]
    public async Task AnIdShapedUnknownIdIs404EverywhereAndAMalformedOne400(string url)
    {
        await using var app = new AppFactory();
        await app.ImportAsync("hf/2026-08-21.jsonl");
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.CreateClient().GetAsync(url.Replace("1234.56789", "1234.5"))).StatusCode);
    }
}
