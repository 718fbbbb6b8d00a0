using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DailyPapers.Collections;
using DailyPapers.Papers;

namespace DailyPapers.Tests.Community;

public class CollectionTests
{
    [Fact]
    public async Task ACollectionIsPrivateUntilPublishedAndExportsAsBibTexAndRss()
    {
        await using var app = new AppFactory().With("Digest:Schedule", "false");
        await app.ImportAsync("hf/2026-08-21.jsonl");
        var (_, ada) = await Browser.UserWithTokenAsync(app, "ada@example.org");
        var (_, bob) = await Browser.UserWithTokenAsync(app, "bob@example.org");

        var created = await Browser.SendAsync(app, HttpMethod.Post, "/api/collections", ada, new { name = "<script>alert('x')</script> To read" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        foreach (var paper in new[] { "2608.19880", "2608.18580", "2608.19880" })
            Assert.Equal(HttpStatusCode.NoContent, (await Browser.SendAsync(app, HttpMethod.Post, $"/api/collections/{id}/papers", ada, new { arxivId = paper })).StatusCode);

        // Private: only its owner sees it; others get 404, as if it did not exist; only the owner changes it.
        Assert.Equal(HttpStatusCode.NotFound, (await Browser.SendAsync(app, HttpMethod.Get, $"/api/collections/{id}", bob)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Browser.SendAsync(app, HttpMethod.Get, $"/api/collections/{id}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync($"/collections/{id}.rss")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Browser.SendAsync(app, HttpMethod.Post, $"/api/collections/{id}/papers", bob, new { arxivId = "2608.20335" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Browser.SendAsync(app, new HttpMethod("PATCH"), $"/api/collections/{id}", bob, new { isPublic = true })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Browser.SendAsync(app, HttpMethod.Post, $"/api/collections/{id}/papers", null, new { arxivId = "2608.20335" })).StatusCode);
        var mine = await Browser.SendAsync(app, HttpMethod.Get, $"/api/collections/{id}", ada);
        var json = await mine.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, json.GetProperty("papers").GetArrayLength());

        Assert.Equal(HttpStatusCode.NoContent, (await Browser.SendAsync(app, new HttpMethod("PATCH"), $"/api/collections/{id}", ada, new { isPublic = true })).StatusCode);
        var page = await app.CreateClient().GetStringAsync($"/collections/{id}");
        Assert.DoesNotContain("<script>alert", page);
        Assert.Contains("&lt;script&gt;", page);
        var rss = await app.CreateClient().GetStringAsync($"/collections/{id}.rss");
        Assert.Contains("2608.18580", rss);
        var bib = await app.CreateClient().GetStringAsync($"/api/collections/{id}/bibtex");
        Assert.Equal(2, bib.Split("@misc{").Length - 1);
        Assert.Contains("eprint = {2608.19880}", bib);

        Assert.Equal(HttpStatusCode.NoContent, (await Browser.SendAsync(app, HttpMethod.Delete, $"/api/collections/{id}/papers/2608.19880", ada)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Browser.SendAsync(app, HttpMethod.Delete, $"/api/collections/{id}", bob)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Browser.SendAsync(app, HttpMethod.Delete, $"/api/collections/{id}", ada)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync($"/collections/{id}")).StatusCode);
    }

    [Theory]
    [InlineData("""{"name": ""}""")]
    [InlineData("""{"name": "a\u0000b"}""")]
    [InlineData("""not json""")]
    public async Task BadCollectionsAreRefused(string body)
    {
        await using var app = new AppFactory().With("Digest:Schedule", "false");
        var (_, token) = await Browser.UserWithTokenAsync(app, "ada@example.org");
        var request = Browser.WithBearer(HttpMethod.Post, "/api/collections", token);
        request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, (await app.CreateClient().SendAsync(request)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Browser.SendAsync(app, HttpMethod.Post, "/api/collections", token, new { name = new string('n', 101) })).StatusCode);
    }

    [Fact]
    public void BibTexEscapesWhatWouldBreakTheFile()
    {
        var p = new Paper { Id = "2405.15738", Title = "On {braces} and \\commands", AuthorsJson = """[{"name":"Chaoyou Fu"},{"name":"Zoë Smith"}]""",
            PublishedAt = new DateTime(2024, 5, 24, 0, 0, 0, DateTimeKind.Utc), PrimaryCategory = "cs.CV" };
        Assert.Equal("""
            @misc{fu2024_2405_15738,
              title = {On \{braces\} and \textbackslash{}commands},
              author = {Chaoyou Fu and Zoë Smith},
              year = {2024},
              eprint = {2405.15738},
              archivePrefix = {arXiv},
              primaryClass = {cs.CV},
              url = {https://arxiv.org/abs/2405.15738},
            }

            """.Replace("\r", ""), BibTex.Entry(p));
    }
}
