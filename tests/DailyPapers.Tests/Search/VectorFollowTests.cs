using System.Net.Http.Json;
using System.Text.Json;
using DailyPapers.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DailyPapers.Tests.Search;

/// <summary>
/// Each instance's in-process vector index follows the vectors table (Search/VectorFeed.cs): what one instance or a
/// CLI `embed` stores is found by semantic search on another running instance without a restart, on either engine.
/// </summary>
public class VectorFollowTests
{
    const string Cloth = "Robot hands learn to grasp and fold deformable cloth from human demonstrations.";
    const string Proteins = "Diffusion models predict the three-dimensional structure of proteins from amino acid sequences.";
    const string Galaxies = "Telescope surveys measure how fast distant galaxies recede, constraining dark energy.";

    static string Paper(string id, string title, string summary) =>
        Some.HfEntry(id, "2026-08-22", title: title, paper: p => p["summary"] = summary);

    static async Task<List<string>> SemanticAsync(HttpClient client, string q)
    {
        var response = await client.GetAsync("/api/papers/search?mode=semantic&limit=50&q=" + Uri.EscapeDataString(q));
        response.EnsureSuccessStatusCode();
        if (response.Headers.GetValues("X-Search-Mode").Single() != "semantic") return [];
        var hits = await response.Content.ReadFromJsonAsync<JsonElement[]>();
        return hits!.Select(h => h.GetProperty("paper").GetProperty("id").GetString()!).ToList();
    }

    static async Task EmbedAsync(AppFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<Embeddings>().EmbedMissingAsync();
    }

    [Fact]
    public async Task VectorsEmbeddedByOneInstanceAreFoundOnAnotherAndReplacedWhenReEmbedded()
    {
        await using var first = new AppFactory();
        await using var second = first.Sibling();
        var client = second.CreateClient();
        Assert.Empty(await SemanticAsync(client, "robots folding clothes")); // started, nothing embedded yet

        await first.ImportAsync(Some.File(Paper("9901.00001", "Learning to fold cloth", Cloth), Paper("9901.00002", "Cosmic expansion", Galaxies)));
        await EmbedAsync(first);
        var found = await Eventually.Until(() => SemanticAsync(client, "robots folding clothes"), ids => ids.Count == 2,
            "both papers in the second instance's vector index", show: ids => string.Join(",", ids));
        Assert.Equal("9901.00001", found[0]);

        // a new version gives the paper the other's title and abstract: the stale vector is dropped, the first instance
        // embeds the paper again, and the second's index holds the new vector, the same as the other paper's
        await first.ImportAsync(Some.File(Some.HfEntry("9901.00001", "2026-08-23", title: "Cosmic expansion",
            paper: p => { p["id"] = "9901.00001v2"; p["summary"] = Galaxies; })));
        await EmbedAsync(first);
        var similar = await Eventually.Until(() => client.GetFromJsonAsync<JsonElement[]>("/api/papers/9901.00001/similar"),
            s => s!.Length == 1 && s[0].GetProperty("score").GetDouble() > 0.99, "the re-embedded vector in the second instance's index",
            show: s => string.Join(",", s!.Select(h => $"{h.GetProperty("paper").GetProperty("id")}:{h.GetProperty("score")}")));
        Assert.Equal("9901.00002", similar![0].GetProperty("paper").GetProperty("id").GetString());
        Assert.Equal(["9901.00001", "9901.00002"], (await SemanticAsync(client, "dark energy")).Order()); // replaced, not added beside
    }

    [Fact]
    public async Task VectorsFromTheCliEmbedReachARunningServer()
    {
        await using var app = new AppFactory();
        var client = app.CreateClient();
        Assert.Empty(await SemanticAsync(client, "protein structure"));
        await app.ImportAsync(Some.File(Paper("9901.00003", "Predicting protein structure", Proteins), Paper("9901.00004", "Cosmic expansion", Galaxies)));

        var (exit, output, error) = await Cli.RunAsync(["embed", .. app.DataOptions]);
        Assert.True(exit == 0, output + error);
        var found = await Eventually.Until(() => SemanticAsync(client, "protein structure prediction"), ids => ids.Count == 2,
            "the CLI's vectors in the server's index", show: ids => string.Join(",", ids));
        Assert.Equal("9901.00003", found[0]);
    }

    // PostgreSQL numbers a vector when it is written and shows it when its transaction commits, so a lower number can
    // become visible after the index has read a higher one (SQLite has one writer at a time: numbers show in order).
    [PostgresFact]
    public async Task AVectorCommittedAfterAHigherNumberIsStillFound()
    {
        await using var app = new AppFactory();
        var client = app.CreateClient();
        await app.ImportAsync(Some.File(Paper("9901.00005", "Predicting protein structure", Proteins), Paper("9901.00006", "Cosmic expansion", Galaxies)));
        var embedder = app.Services.GetRequiredService<Embedder>();
        await using var slowScope = app.Services.CreateAsyncScope();
        var slow = slowScope.ServiceProvider.GetRequiredService<DailyPapers.Data.AppDb>();
        await using var transaction = await slow.Database.BeginTransactionAsync();
        // Writers queue on the data_version row (postgres/0012), taken after the number: two writers meet in that gap
        // only by chance, so this one is told it already took the row, and the other commits past it.
        await slow.Database.ExecuteSqlRawAsync("SELECT set_config('dailypapers.data_version_bumped', txid_current()::text, true)");
        slow.PaperVectors.Add(Vector(embedder, "9901.00005", Proteins));
        await slow.SaveChangesAsync(); // takes its number, not yet committed

        await app.WithDbAsync(async db =>
        {
            db.PaperVectors.Add(Vector(embedder, "9901.00006", Galaxies)); // a higher number, committed first
            return await db.SaveChangesAsync();
        });
        Assert.Equal(["9901.00006"], await Eventually.Until(() => SemanticAsync(client, "dark energy"), ids => ids.Count == 1,
            "the vector committed first", show: ids => string.Join(",", ids)));
        await transaction.CommitAsync();
        var found = await Eventually.Until(() => SemanticAsync(client, "protein structure"), ids => ids.Count == 2,
            "the vector committed later with the lower number", show: ids => string.Join(",", ids));
        Assert.Equal("9901.00005", found[0]);
    }

    static PaperVector Vector(Embedder embedder, string id, string summary) =>
        new() { PaperId = id, Model = embedder.ModelName, Vector = Embeddings.ToBytes(embedder.EmbedOne(summary)) };
}
