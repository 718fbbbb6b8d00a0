using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using System.Diagnostics;
using DailyPapers;
using DailyPapers.Ingest;
using Microsoft.Data.Sqlite;

// Benchmarks, run with: dotnet run --project bench/DailyPapers.Bench -c Release -- <command> [--file PATH]
//   import   import throughput of the Hugging Face daily-papers file, against two baselines on the same records
//   crash    kill -9 an import midway, re-run it, and compare the rows with an uninterrupted import
//   search-quality [--model NAME] [--take N] [--sweep]   MRR@10 and Recall@10 of keyword, semantic and hybrid search
//                  on three known-item tasks (N queries each); --sweep: the grid that chose the hybrid fusion's weights
//   task3          regenerate bench/DailyPapers.Bench/data/task3.tsv (the third search-quality task) from the file
//   digest [--sizes 10000,100000]   compose and send personalised digests: compose time, send throughput, memory
//   keyword-sweep [--take 600]   keyword MRR@10 of ranking variants (field weights, term dependence, fallback) on dev samples
//   search-speed [--sizes 10000,100000,1000000]   p50/p95/p99 per mode, RSS, recall vs exact, build time; embedding throughput
//   keyword-profile [--size 100000] [--rounds 2]   keyword search time by stage (fallback, rescoring, catch-up, loading, highlights)
//   vectors [--sizes 10000,100000,1000000] [--random]   VectorIndex alone vs the old scan: p50/p95/p99, recall@10 vs exact, memory; query embedding
//   pages [--n 50] [--warmup 100] [--port 5874]   median and p90 server time of every reader-facing page vs /site.css
//   load [--seconds 8] [--connections 1,16,64] [--routes home,paper,…] [--port 5880] [--soak 600]   wrk per route vs the same bytes as a static file;
//        --soak N: then N seconds of mixed traffic with the server's RSS each minute
//   engines [--sizes 10000,100000,1000000] [--subscribers 10000,100000] [--postgres CONNSTRING] [--fresh]   import, search speed and
//        digest composition on SQLite and PostgreSQL side by side, with the ratio; import, search-speed and digest also take
//        --engine postgres (with --postgres CONNSTRING or DAILYPAPERS_DATABASE)
var command = args.FirstOrDefault() ?? "import";
BenchHost.Model = Arg("--model");
// PostgreSQL (issue 14): --engine postgres runs import, search-speed and digest on the cluster that --postgres (or
// DAILYPAPERS_DATABASE) names, in databases of their own (dailypapers_bench_*); `engines` runs both engines side by side.
var configured = Environment.GetEnvironmentVariable("DAILYPAPERS_DATABASE");
var postgres = Arg("--postgres") ?? (configured is not null && DailyPapers.Data.Provider.EngineOf(configured) == DailyPapers.Data.Provider.Postgres ? configured : null);
Environment.SetEnvironmentVariable("DAILYPAPERS_DATABASE", null); // the engine is --engine's choice, for this process and its children
if (Arg("--engine") == "postgres")
{
    if (postgres is null) return Fail("--engine postgres needs --postgres CONNSTRING (Host=…;Username=…, or postgres://…) or DAILYPAPERS_DATABASE set to one");
    BenchHost.Postgres = postgres;
}
var file = Arg("--file") ?? Path.Combine(RepoRoot(), "..", "shared", "data", "2404589803-hf-daily-paper-newsletter-chinese", "hf_daily_papers.jsonl");
if (!File.Exists(file))
{
    Console.Error.WriteLine($"no input at {file}; pass --file PATH (a Hugging Face daily-papers JSON-lines file)");
    return 2;
}
return command switch
{
    "import" => await ImportBench.RunAsync(file),
    "crash" => await CrashBench.RunAsync(file),
    "search-quality" => await FusionTable.RunAsync(file, int.Parse(Arg("--take") ?? "100000"), args.Contains("--sweep")),
    "task3" => MeaningTask.Write(file, Arg("--out") ?? MeaningTask.DefaultPath),
    "search-speed" => await SearchSpeedBench.RunAsync(file, (Arg("--sizes") ?? "10000,100000,1000000").Split(',').Select(int.Parse).ToList()),
    "keyword-sweep" => await KeywordSweep.RunAsync(file, int.Parse(Arg("--take") ?? "600")),
    "digest" => await DigestBench.RunAsync(file, (Arg("--sizes") ?? "10000,100000").Split(',').Select(int.Parse).ToList()),
    "vectors" => await VectorBench.RunAsync(file, (Arg("--sizes") ?? "10000,100000,1000000").Split(',').Select(int.Parse).ToList(), args.Contains("--random")),
    "pages" => await PagesBench.RunAsync(file, int.Parse(Arg("--n") ?? "50"), int.Parse(Arg("--warmup") ?? "100"), int.Parse(Arg("--port") ?? "5874")),
    "load" => await LoadBench.RunAsync(file, RepoRoot(), int.Parse(Arg("--seconds") ?? "8"), (Arg("--connections") ?? "1,16,64").Split(',').Select(int.Parse).ToList(), Arg("--routes")?.Split(','), int.Parse(Arg("--port") ?? "5880"), int.Parse(Arg("--soak") ?? "0")),
    "keyword-profile" => await KeywordProfile.RunAsync(file, int.Parse(Arg("--size") ?? "100000"), int.Parse(Arg("--rounds") ?? "2")),
    "engines" => postgres is null ? Fail("engines needs --postgres CONNSTRING (Host=…;Username=…, or postgres://…) or DAILYPAPERS_DATABASE set to one")
        : await EngineBench.RunAsync(file, postgres, (Arg("--sizes") ?? "10000,100000,1000000").Split(',').Select(int.Parse).ToList(),
            (Arg("--subscribers") ?? "10000,100000").Split(',').Select(int.Parse).ToList(), args.Contains("--fresh")),
    "bulk-insert" => await SearchSpeedBench.BulkInsertOnlyAsync(file, int.Parse(args[1])),
    "search-speed-one" => await SearchSpeedBench.RunOneAsync(file, int.Parse(args[1])),
    _ => Usage(),
};

string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

static int Fail(string message)
{
    Console.Error.WriteLine(message);
    return 2;
}

static int Usage()
{
    Console.Error.WriteLine("usage: DailyPapers.Bench import|crash|search-quality|keyword-sweep|search-speed|vectors|digest|pages|load|engines [--file PATH] [--sizes N,N] [--model NAME] [--n N] [--engine postgres --postgres CONNSTRING]");
    return 2;
}

static string RepoRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DailyPapers.slnx"))) dir = dir.Parent;
    return dir?.FullName ?? Directory.GetCurrentDirectory();
}

static class ImportBench
{
    public static async Task<int> RunAsync(string file)
    {
        var rows = new List<(string Name, double Seconds, int Records, string Note)>();
        var records = 0;
        Time(() => { using var input = InputFile.Open(file); records = input.Records().Count(); }); // warm-up: JIT, file cache
        var parse = Time(() => { using var input = InputFile.Open(file); records = input.Records().Count(); });
        rows.Add(("baseline: parse only (InputFile)", parse, records, "JSON parsing, no database"));
        var raw = await TimeAsync(() => RawInsertAsync(file));
        rows.Add(("baseline: raw SQLite INSERT", raw, records, "prepared INSERTs, one transaction, no merge"));
        var dir = Directory.CreateTempSubdirectory("dailypapers-bench-").FullName;
        // On PostgreSQL (--engine postgres) an empty database of its own, dropped afterwards.
        var database = BenchHost.Postgres is null ? null : BenchHost.Database("import", fresh: true);
        var app = Host(dir, database);
        var first = await TimeAsync(() => ImportAsync(app, file));
        rows.Add(($"DailyPapers import, empty database ({BenchHost.Engine})", first, records, "upsert + merge, 500-record transactions"));
        var second = await TimeAsync(() => ImportAsync(app, file));
        rows.Add(($"DailyPapers import again ({BenchHost.Engine})", second, records, "reads, merges, writes nothing"));
        EngineBench.Emit("import, empty database", records, first);
        EngineBench.Emit("import again (all unchanged)", records, second);
        Print(rows, raw);
        Console.WriteLine($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1 << 20)} MiB; {Environment.ProcessorCount} cores; .NET {Environment.Version}");
        await app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (database is not null) BenchHost.DropDatabase(database);
        Directory.Delete(dir, true);
        return 0;
    }

    static WebApplication Host(string dir, string? database)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["DataDir"] = dir;
        if (database is not null) builder.Configuration["Database"] = database;
        builder.Logging.ClearProviders();
        builder.AddDailyPapers();
        return builder.Build();
    }

    static async Task ImportAsync(WebApplication app, string file)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DailyPapers.Data.DatabaseStartup>().EnsureSchemaAsync(migrate: false);
        using var input = InputFile.Open(file);
        var counts = await scope.ServiceProvider.GetRequiredService<Importer>().ImportAsync(input.Records());
        Console.Error.WriteLine($"  {counts}");
    }

    // The least a SQLite import can do: the same parsed papers and entries, prepared INSERT OR REPLACE, one transaction.
    static async Task RawInsertAsync(string file)
    {
        var path = Path.Combine(Path.GetTempPath(), $"dailypapers-raw-{Guid.NewGuid():N}.db");
        await using (var c = new SqliteConnection($"Data Source={path}"))
        {
            c.Open();
            Exec(c, "PRAGMA journal_mode=WAL; CREATE TABLE p (id TEXT PRIMARY KEY, title TEXT, summary TEXT, authors TEXT, upvotes INT, repo TEXT);" +
                    "CREATE TABLE e (date TEXT, paper_id TEXT, submitted_by TEXT, PRIMARY KEY (date, paper_id));");
            await using var tx = c.BeginTransaction();
            using var paper = Prepare(c, "INSERT OR REPLACE INTO p VALUES ($1,$2,$3,$4,$5,$6)", 6);
            using var entry = Prepare(c, "INSERT OR REPLACE INTO e VALUES ($1,$2,$3)", 3);
            using var input = InputFile.Open(file);
            foreach (var r in input.Records().Where(r => r.Paper is not null))
            {
                Run(paper, r.Paper!.Id, r.Paper.Title, r.Paper.Summary, r.Paper.AuthorsJson, r.Paper.ImportedUpvotes, r.Paper.GithubRepo);
                foreach (var e in r.Entries) Run(entry, e.Date.ToString("yyyy-MM-dd"), e.PaperId, e.SubmittedByJson);
            }
            tx.Commit();
        }
        SqliteConnection.ClearAllPools();
        foreach (var f in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(path) + "*")) File.Delete(f);
    }

    static void Exec(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    static SqliteCommand Prepare(SqliteConnection c, string sql, int n)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        for (var i = 1; i <= n; i++) cmd.Parameters.Add(new SqliteParameter($"${i}", null));
        cmd.Prepare();
        return cmd;
    }

    static void Run(SqliteCommand cmd, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) cmd.Parameters[i].Value = values[i] ?? DBNull.Value;
        cmd.ExecuteNonQuery();
    }

    static void Print(List<(string Name, double Seconds, int Records, string Note)> rows, double baseline)
    {
        Console.WriteLine($"| {"run",-42} | {"seconds",8} | {"records/s",10} | {"vs raw INSERT",13} | note");
        Console.WriteLine($"|{new string('-', 44)}|{new string('-', 10)}|{new string('-', 12)}|{new string('-', 15)}|------");
        foreach (var (name, s, n, note) in rows)
            Console.WriteLine($"| {name,-42} | {s,8:F2} | {n / s,10:F0} | {baseline / s,12:F2}x | {note}");
    }

    static double Time(Action a)
    {
        var sw = Stopwatch.StartNew();
        a();
        return sw.Elapsed.TotalSeconds;
    }

    static async Task<double> TimeAsync(Func<Task> a)
    {
        var sw = Stopwatch.StartNew();
        await a();
        return sw.Elapsed.TotalSeconds;
    }
}

static class CrashBench
{
    public static async Task<int> RunAsync(string file)
    {
        var dir = Directory.CreateTempSubdirectory("dailypapers-crash-").FullName;
        try
        {
            await Cli(file, Path.Combine(dir, "whole"));
            var killedAfter = await KillMidwayAsync(file, Path.Combine(dir, "killed"));
            await Cli(file, Path.Combine(dir, "killed"));
            var whole = Counts(Path.Combine(dir, "whole"));
            var resumed = Counts(Path.Combine(dir, "killed"));
            Console.WriteLine($"| {"run",-42} | papers | daily entries | dates |");
            Console.WriteLine($"| {"uninterrupted import",-42} | {whole.Papers,6} | {whole.Entries,13} | {whole.Dates,5} |");
            Console.WriteLine($"| {$"killed (-9) at {killedAfter.Rows} papers, then re-run",-42} | {resumed.Papers,6} | {resumed.Entries,13} | {resumed.Dates,5} |");
            Console.WriteLine(whole == resumed ? "same counts: yes" : "same counts: NO");
            return whole == resumed ? 0 : 1;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, true);
        }
    }

    static ProcessStartInfo Start(string file, string data)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "DailyPapers.dll"), "import", file, "--data", data }) start.ArgumentList.Add(a);
        return start;
    }

    static async Task Cli(string file, string data)
    {
        using var p = Process.Start(Start(file, data))!;
        Console.Error.WriteLine((await p.StandardOutput.ReadToEndAsync()).Trim());
        await p.WaitForExitAsync();
    }

    static async Task<(long Rows, int _)> KillMidwayAsync(string file, string data)
    {
        using var p = Process.Start(Start(file, data))!;
        var db = Path.Combine(data, "dailypapers.db");
        long rows = 0;
        while (!p.HasExited && rows < 3000)
        {
            await Task.Delay(50);
            if (File.Exists(db)) rows = Counts(data).Papers;
        }
        p.Kill(entireProcessTree: true);
        await p.WaitForExitAsync();
        return (Counts(data).Papers, 0);
    }

    static (long Papers, long Entries, long Dates) Counts(string data)
    {
        try
        {
            using var c = new SqliteConnection($"Data Source={Path.Combine(data, "dailypapers.db")};Mode=ReadOnly;Pooling=False");
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT (SELECT COUNT(*) FROM papers), (SELECT COUNT(*) FROM daily_entries), (SELECT COUNT(DISTINCT date) FROM daily_entries)";
            using var r = cmd.ExecuteReader();
            r.Read();
            return (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2));
        }
        catch (SqliteException) { return (0, 0, 0); }
    }
}
