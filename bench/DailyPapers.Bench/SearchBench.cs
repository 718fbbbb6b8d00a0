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
    /// <summary>
    /// PostgreSQL (issue 14) when set: the admin connection string the bench creates its databases with, one per cache
    /// folder (dailypapers_bench_real, …_generated_100000). Null: SQLite files in the cache folders, as before.
    /// </summary>
    public static string? Postgres;

    public static string Engine => Postgres is null ? Provider.Sqlite : Provider.Postgres;

    // Each model keeps its own embedded copy of the real corpus, so switching models does not re-embed the other; each
    // engine too (the folder keeps PostgreSQL's keyword index and markers, the rows live in the cluster).
    static string RealCache => (Model is null || EmbeddingModel.Find(Model) == EmbeddingModel.MiniLM ? "real" : "real-" + EmbeddingModel.Find(Model)!.Carrier) + EngineSuffix;

    public static string EngineSuffix => Postgres is null ? "" : "-postgres";

    public static WebApplication Create(string dataDir)
    {
        var builder = WebApplication.CreateBuilder();
        if (Model is not null) builder.Configuration["Search:Model"] = Model;
        builder.Configuration["DataDir"] = dataDir;
        builder.Configuration["LoadSample"] = "false";
        if (Postgres is not null) builder.Configuration["Database"] = Database(Path.GetFileName(Path.GetFullPath(dataDir)));
        builder.Logging.ClearProviders();
        builder.AddDailyPapers();
        return builder.Build();
    }

    /// <summary>The connection string of the bench's PostgreSQL database for a cache folder, created when missing.</summary>
    public static string Database(string name, bool fresh = false, string? template = null)
    {
        var database = "dailypapers_bench_" + new string(name.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_').ToArray());
        using var connection = new Npgsql.NpgsqlConnection(Provider.NpgsqlConnectionString(Postgres!));
        connection.Open();
        using var command = connection.CreateCommand();
        if (fresh)
        {
            command.CommandText = $"DROP DATABASE IF EXISTS {database} WITH (FORCE)";
            command.ExecuteNonQuery();
        }
        command.CommandText = "SELECT 1 FROM pg_database WHERE datname = @name";
        command.Parameters.AddWithValue("name", database);
        if (command.ExecuteScalar() is null)
        {
            command.Parameters.Clear();
            command.CommandText = $"CREATE DATABASE {database}{(template is null ? "" : $" TEMPLATE {template}")}";
            command.ExecuteNonQuery();
        }
        return new Npgsql.NpgsqlConnectionStringBuilder(Provider.NpgsqlConnectionString(Postgres!)) { Database = database }.ToString();
    }

    public static void DropDatabase(string connectionString)
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        var name = new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database;
        using var connection = new Npgsql.NpgsqlConnection(Provider.NpgsqlConnectionString(Postgres!));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"DROP DATABASE IF EXISTS {name} WITH (FORCE)";
        command.ExecuteNonQuery();
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
        if (missing > 0 && Postgres is not null) missing = await CopyVectorsFromSqliteAsync(file, scope.ServiceProvider.GetRequiredService<AppDb>(), embeddings);
        if (missing > 0)
        {
            Console.Error.WriteLine($"embedding {missing} papers once (kept in {CacheDir(RealCache)}) …");
            var clock = Stopwatch.StartNew();
            await embeddings.EmbedMissingAsync(progress: n => { if (n % 640 == 0) Console.Error.WriteLine($"  {n}/{missing}, {n / clock.Elapsed.TotalSeconds:F1}/s"); });
        }
        await embeddings.LoadIndexAsync();
        return app;
    }

    /// <summary>PostgreSQL's real corpus takes the vectors SQLite's copy already holds: the same model on the same texts.</summary>
    static async Task<int> CopyVectorsFromSqliteAsync(string file, AppDb target, Embeddings embeddings)
    {
        var postgres = Postgres;
        Postgres = null;
        List<PaperVector> vectors;
        try
        {
            await using var sqlite = await RealCorpusAsync(file);
            await using var scope = sqlite.Services.CreateAsyncScope();
            vectors = await scope.ServiceProvider.GetRequiredService<AppDb>().PaperVectors.AsNoTracking().ToListAsync();
        }
        finally { Postgres = postgres; }
        SqliteConnection.ClearAllPools();
        await using (var tx = await target.Database.BeginTransactionAsync())
        {
            await target.InsertAsync(vectors);
            await tx.CommitAsync();
        }
        Console.Error.WriteLine($"copied {vectors.Count} vectors from the SQLite copy of the real corpus");
        return await embeddings.MissingCountAsync();
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
