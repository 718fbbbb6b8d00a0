using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DailyPapers.Accounts;
using DailyPapers.Search;
using DailyPapers.Tests.Community;
using Microsoft.Extensions.DependencyInjection;

namespace DailyPapers.Tests.Search;

/// <summary>
/// Searches keep the rows they show between requests (Search/SearchRows): every write, whoever makes it, is in the
/// very next search. Each request asks for its own address (n=…), so the shared page cache never answers and what
/// is tested is the rows.
/// </summary>
public class SearchFreshnessTests
{
    const string Awakening = "2608.19880"; // "EnvHarness: Awakening Static Worlds for Agent Learning", 163 upvotes imported
    const string Listening = "2608.19863"; // "Listening Forward", by Umberto Cappellazzo, …
    int n;

    static async Task<AppFactory> AppAsync(bool embed = false)
    {
        var app = new AppFactory().With("Digest:Schedule", "false").WithoutJobs();
        await app.ImportAsync("hf/2026-08-21.jsonl");
        if (embed)
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<Embeddings>().EmbedMissingAsync();
        }
        return app;
    }

    async Task<JsonElement[]> HitsAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync($"{url}&n={Interlocked.Increment(ref n)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.Age); // not the page cache's copy
        return (await response.Content.ReadFromJsonAsync<JsonElement[]>())!;
    }

    async Task<JsonElement?> HitAsync(HttpClient client, string query, string id, string mode = "keyword") =>
        (await HitsAsync(client, $"/api/papers/search?q={Uri.EscapeDataString(query)}&mode={mode}&limit=50"))
            .Select(h => (JsonElement?)h).FirstOrDefault(h => h!.Value.GetProperty("paper").GetProperty("id").GetString() == id);

    static int Upvotes(JsonElement? hit) => hit!.Value.GetProperty("paper").GetProperty("upvotes").GetInt32();

    [Fact]
    public async Task AVoteAndAnApprovedClaimAreInTheNextSearch()
    {
        await using var app = await AppAsync();
        var client = app.CreateClient();
        Assert.Equal(163, Upvotes(await HitAsync(client, "awakening static worlds", Awakening)));
        Assert.Equal(163, Upvotes(await HitAsync(client, "awakening static worlds", Awakening))); // kept
        var (_, voter) = await Browser.UserWithTokenAsync(app, "voter@example.org");
        Assert.Equal(HttpStatusCode.OK, (await Browser.SendAsync(app, HttpMethod.Post, $"/api/papers/{Awakening}/upvote", voter)).StatusCode);
        Assert.Equal(164, Upvotes(await HitAsync(client, "awakening static worlds", Awakening)));

        Assert.False((await HitAsync(client, "listening forward", Listening))!.Value.GetProperty("isAuthorParticipating").GetBoolean());
        var (_, admin) = await Browser.UserWithTokenAsync(app, "admin@example.org", Roles.Admin);
        var (_, author) = await Browser.UserWithTokenAsync(app, "umberto@example.org");
        var claim = await Browser.SendAsync(app, HttpMethod.Post, $"/api/papers/{Listening}/claim", author, new { authorName = "Umberto Cappellazzo" });
        var id = (await claim.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        Assert.False((await HitAsync(client, "listening forward", Listening))!.Value.GetProperty("isAuthorParticipating").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, (await Browser.SendAsync(app, HttpMethod.Post, $"/api/admin/claims/{id}/approve", admin)).StatusCode);
        Assert.True((await HitAsync(client, "listening forward", Listening))!.Value.GetProperty("isAuthorParticipating").GetBoolean());
    }

    /// <summary>
    /// Searches that start together after a write: one of them applies the write to the keyword index, and none may
    /// answer from the index before it holds the write. (A search that found nothing waiting past the index's cursor
    /// once searched while another was still committing and refreshing up to that cursor, and missed the new papers.)
    /// </summary>
    [Fact]
    public async Task SearchesStartedTogetherAfterAWriteAllSeeIt()
    {
        await using var app = await AppAsync();
        var client = app.CreateClient();
        for (var round = 0; round < 12; round++)
        {
            var id = $"9902.{round:D5}";
            await app.ImportAsync(Some.File(Some.HfEntry(id, "2026-08-22", title: $"Wombat okapi round {round}")));
            var searches = Enumerable.Range(0, 12).Select(i => HitsAsync(client, $"/api/papers/search?q=wombat+okapi&mode=keyword&limit=50"));
            foreach (var hits in await Task.WhenAll(searches))
                Assert.Contains(hits, h => h.GetProperty("paper").GetProperty("id").GetString() == id);
        }
    }

    [Fact]
    public async Task AnImportByAnotherProcessIsInTheNextSearch()
    {
        await using var app = await AppAsync();
        var client = app.CreateClient();
        Assert.StartsWith("EnvHarness", (await HitAsync(client, "awakening static worlds", Awakening))!.Value.GetProperty("title").GetString());
        var file = Some.File(Some.HfEntry(Awakening, "2026-08-21", upvotes: 200, title: "Awakening Static Worlds, the second version"));
        var (code, _, err) = await Cli.RunAsync(["import", file, .. app.DataOptions, "--no-embed"]);
        Assert.True(code == 0, err);
        var hit = await HitAsync(client, "awakening static worlds", Awakening);
        Assert.Equal("Awakening Static Worlds, the second version", hit!.Value.GetProperty("title").GetString());
        Assert.Equal(200, Upvotes(hit));
    }

    [Theory]
    [InlineData("keyword")]
    [InlineData("semantic")]
    [InlineData("hybrid")]
    public async Task AHiddenPaperLeavesTheNextSearchAndSimilarPapersAndARestoredOneComesBack(string mode)
    {
        await using var app = await AppAsync(embed: true);
        var client = app.CreateClient();
        var (_, moderator) = await Browser.UserWithTokenAsync(app, "mod@example.org", Roles.Moderator);
        var similar = $"/api/papers/{Listening}/similar?limit=50";
        Assert.NotNull(await HitAsync(client, "awakening static worlds", Awakening, mode));
        Assert.Contains(await HitsAsync(client, similar), h => h.GetProperty("paper").GetProperty("id").GetString() == Awakening);

        Assert.Equal(HttpStatusCode.NoContent, (await Browser.SendAsync(app, HttpMethod.Post, $"/api/papers/{Awakening}/hide", moderator)).StatusCode);
        Assert.Null(await HitAsync(client, "awakening static worlds", Awakening, mode));
        Assert.DoesNotContain(await HitsAsync(client, similar), h => h.GetProperty("paper").GetProperty("id").GetString() == Awakening);

        Assert.Equal(HttpStatusCode.NoContent, (await Browser.SendAsync(app, HttpMethod.Post, $"/api/papers/{Awakening}/unhide", moderator)).StatusCode);
        Assert.NotNull(await HitAsync(client, "awakening static worlds", Awakening, mode));
        Assert.Contains(await HitsAsync(client, similar), h => h.GetProperty("paper").GetProperty("id").GetString() == Awakening);
    }
}
