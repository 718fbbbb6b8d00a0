using System.Diagnostics;
using System.Text.Json;
using DailyPapers;
using DailyPapers.Data;
using DailyPapers.Ingest;
using DailyPapers.Search;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

/// <summary>The known-item task: two of a paper's ai_keywords (fixed seed) as the query; the paper is the answer.</summary>
static class KnownItems
{
    /// <summary>A second task of another shape: the start of the paper's ai_summary (a sentence in plain words) as the query.</summary>
    public static List<(string Query, string PaperId)> Summaries(string file)
    {
        var seen = new HashSet<string>();
        var tasks = new List<(string, string)>();
        foreach (var line in File.ReadLines(file))
        {
            using var doc = JsonDocument.Parse(line);
            var paper = doc.RootElement.GetProperty("paper");
            if (doc.RootElement.GetProperty("date").GetString()!.CompareTo("2026") >= 0) continue;
            if (!paper.TryGetProperty("ai_summary", out var s) || s.GetString() is not { Length: > 20 } summary) continue;
            var id = paper.GetProperty("id").GetString()!;
            if (!seen.Add(id)) continue;
            var words = summary.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            tasks.Add((string.Join(' ', words.Take(12)), id));
        }
        return tasks;
    }

    public static List<(string Query, string PaperId)> Load(string file, int seed = 42)
    {
        var random = new Random(seed);
        var seen = new HashSet<string>();
        var tasks = new List<(string, string)>();
        foreach (var line in File.ReadLines(file))
        {
            using var doc = JsonDocument.Parse(line);
            var e = doc.RootElement;
            var date = e.GetProperty("date").GetString()!;
            var paper = e.GetProperty("paper");
            if (date.CompareTo("2026") >= 0 || !paper.TryGetProperty("ai_keywords", out var k) || k.ValueKind != JsonValueKind.Array) continue;
            var keywords = k.EnumerateArray().Select(x => x.GetString()).OfType<string>().Distinct().ToList();
            var id = paper.GetProperty("id").GetString()!;
            if (keywords.Count < 2 || !seen.Add(id)) continue;
            var first = random.Next(keywords.Count);
            var second = (first + 1 + random.Next(keywords.Count - 1)) % keywords.Count;
            tasks.Add(($"{keywords[first]} {keywords[second]}", id));
        }
        return tasks;
    }
}

static class BenchHost
{
    public static string? Model;

    // Each model keeps its own embedded copy of the real corpus, so switching models does not re-embed the other.
    static string RealCache => Model is null || EmbeddingModel.Find(Model) == EmbeddingModel.MiniLM ? "real" : "real-" + EmbeddingModel.Find(Model)!.Carrier;

    public static WebApplication Create(string dataDir)
    {
        var builder = WebApplication.CreateBuilder();
        if (Model is not null) builder.Configuration["Search:Model"] = Model;
        builder.Configuration["DataDir"] = dataDir;
        builder.Configuration["LoadSample"] = "false";
        builder.Logging.ClearProviders();
        builder.AddDailyPapers();
        return builder.Build();
    }

    public static string CacheDir(string name) =>
        Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".cache", name);

    /// <summary>The real corpus, imported and embedded once, then reused: import and embed skip what is done.</summary>
    public static async Task<WebApplication> RealCorpusAsync(string file)
    {
        var app = Create(CacheDir(RealCache));
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseStartup>().EnsureSchemaAsync(migrate: true);
        using (var input = InputFile.Open(file)) await scope.ServiceProvider.GetRequiredService<Importer>().ImportAsync(input.Records());
        var embeddings = scope.ServiceProvider.GetRequiredService<Embeddings>();
        var missing = await embeddings.MissingCountAsync();
        if (missing > 0)
        {
            Console.Error.WriteLine($"embedding {missing} papers once (kept in {CacheDir(RealCache)}) …");
            var clock = Stopwatch.StartNew();
            await embeddings.EmbedMissingAsync(progress: n => { if (n % 640 == 0) Console.Error.WriteLine($"  {n}/{missing}, {n / clock.Elapsed.TotalSeconds:F1}/s"); });
        }
        await embeddings.LoadIndexAsync();
        return app;
    }
}

static class SearchQualityBench
{
    public static async Task<List<string>> SearchAsync(IServiceProvider services, string text, SearchMode mode, int limit = 10)
    {
        if (!SearchQuery.TryParse(text, out var query, out _)) return [];
        var request = new SearchRequest(query, mode, limit, new SearchFilters(null, null, [], null));
        var result = await services.GetRequiredService<SearchService>().SearchAsync(request);
        return result.Items.Select(i => i.Paper.Id).ToList();
    }
}
