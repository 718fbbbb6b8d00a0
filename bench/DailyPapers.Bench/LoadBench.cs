using System.Net;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

/// <summary>
/// `load [--seconds 8] [--connections 1,16,64] [--routes home,paper,…] [--port 7200] [--soak 600]`: every route of issue 13 under
/// wrk at each connection count against the Release app with the real papers, next to Kestrel serving the same bytes
/// as a static file in the same run (port + 1). Prints a Markdown table: requests/s, p50/p99 ms, the ratio to static.
/// </summary>
static class LoadBench
{
    sealed record Row(LoadRoute Route, int Bytes, int Connections, LoadResult App, LoadResult Static, long RssMiB, int WarmSeconds);

    public static async Task<int> RunAsync(string file, string repoRoot, int seconds, IReadOnlyList<int> connections, IReadOnlyList<string>? names, int port, int soak = 0)
    {
        if (seconds < 1 || connections.Count == 0 || connections.Any(c => c < 1) || port is < 1024 or > 65534)
        {
            Console.Error.WriteLine("load: --seconds at least 1, --connections positive numbers, --port 1024-65534 (the static baseline uses port + 1)");
            return 2;
        }
        if (!await LoadWrk.EnsureInstalledAsync(repoRoot)) return 2;
        // Ctrl-C or `timeout` ends the run through the finally blocks, so the server and wrk never outlive it.
        using var stop = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        var (data, embedded) = await LoadData.PrepareAsync(file);
        var work = Directory.CreateTempSubdirectory("loadbench-work-").FullName;
        try
        {
            var picks = PagesData.Pick(data);
            var routes = LoadRoutes.All(picks, KnownItems.Load(file).Take(500).Select(t => t.Query).ToList());
            if (names?.Except(routes.Select(r => r.Name)).ToList() is [_, ..] unknown)
            {
                Console.Error.WriteLine($"load: unknown route(s) {string.Join(", ", unknown)}; routes: {string.Join(", ", routes.Select(r => r.Name))}");
                return 2;
            }
            var load = LoadAverage();
            await using var server = await PagesServer.StartAsync(data, port);
            await using var statics = await LoadStatic.StartAsync(Path.Combine(work, "static"), port + 1);
            using var rss = LoadRss.Watch(data);
            var rows = await MeasureAsync(server, statics, rss, work, routes.Where(r => names is null || names.Contains(r.Name)), connections, seconds, stop.Token);
            Print(rows, picks, embedded, seconds, load, rss);
            if (soak >= 60) await LoadSoak.RunAsync(server, rss, work, routes, soak, stop.Token);
            return rows.All(r => r.App.Failed == 0 && r.App.Requests > 0) ? 0 : 1;
        }
        // A signal sent to the whole process group (as `timeout` does) may stop the server before wrk: any failure after it is the stop.
        catch (Exception) when (stop.IsCancellationRequested)
        {
            Console.Error.WriteLine("load: stopped; the server is shut down");
            return 130;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, true);
            Directory.Delete(work, true);
        }
    }

    /// <summary>
    /// Per route: copy its answer to the static folder, warm both servers up at 16 connections (the static one for a
    /// quarter of the run time, at least 4 s; the app at least that long and until its rate stops rising, WarmAsync:
    /// the JIT's tiers and dynamic PGO settle), then at each connection count wait until the app is idle and run wrk
    /// against the app, then against the static copy.
    /// </summary>
    static async Task<List<Row>> MeasureAsync(PagesServer server, LoadStatic statics, LoadRss? rss, string work,
        IEnumerable<LoadRoute> routes, IReadOnlyList<int> connections, int seconds, CancellationToken ct)
    {
        using var client = new HttpClient { BaseAddress = server.Site, Timeout = TimeSpan.FromSeconds(60) };
        var warmup = Math.Max(4, seconds / 4);
        var rows = new List<Row>();
        foreach (var route in routes)
        {
            var (copy, bytes, status) = await statics.CopyAsync(client, route);
            if (copy is null)
            {
                Console.Error.WriteLine($"  {route.Name}: {route.Paths[0]} answered {(int)status}; skipped");
                continue;
            }
            var app = LoadWrk.Prepare(work, route);
            var file = LoadWrk.Prepare(work, route, [copy]);
            var warm = await WarmAsync(server.Site, app, warmup, ct);
            Console.Error.WriteLine($"  {route.Name}: warmed {warm.Seconds} s at 16 connections ({string.Join(", ", warm.Rates.Select(r => r.ToString("F0")))} req/s)");
            await LoadWrk.RunAsync(statics.Site, file, 16, warmup, ct);
            foreach (var c in connections)
            {
                await server.WaitUntilIdleAsync();
                rss?.Peak();
                var measured = await LoadWrk.RunAsync(server.Site, app, c, seconds, ct);
                var peak = rss?.Peak() ?? 0;
                var baseline = await LoadWrk.RunAsync(statics.Site, file, c, seconds, ct);
                var row = new Row(route, bytes, c, measured, baseline, peak, warm.Seconds);
                Console.Error.WriteLine($"  {route.Name} c={c}: {measured.Rate:F0}/s (p99 {measured.P99:F1} ms) vs static {baseline.Rate:F0}/s: {Ratio(row)}");
                rows.Add(row);
            }
        }
        return rows;
    }

    /// <summary>
    /// Warm-up windows of 2 s at 16 connections until at least `least` seconds have passed and the last window is
    /// no more than 5% faster than the one before (at most WarmupLimit): the rate a long-running server reaches, not a
    /// point on its way there. A fixed 4 s measured the search page while its hot methods were still being compiled
    /// (docs/benchmarks.md, "Warm-up after a start").
    /// </summary>
    static async Task<(int Seconds, List<double> Rates)> WarmAsync(Uri site, string[] app, int least, CancellationToken ct)
    {
        const int window = 2;
        var rates = new List<double>();
        while (rates.Count * window < WarmupLimit)
        {
            rates.Add((await LoadWrk.RunAsync(site, app, 16, window, ct)).Rate);
            if (rates.Count * window >= least && rates.Count >= 2 && rates[^1] <= rates[^2] * 1.05) break;
        }
        return (rates.Count * window, rates);
    }

    const int WarmupLimit = 60;

    // No request finished within the run (all still waiting when wrk stopped): there is no latency to show.
    static string Latency(LoadResult r) => r.Requests == 0 ? "none finished" : $"{r.P50:F1} / {r.P99:F1}";

    static string Ratio(Row r) => $"{100 * r.App.Rate / r.Static.Rate:F1}%";

    static void Print(List<Row> rows, PagesPicks picks, bool embedded, int seconds, string loadBefore, LoadRss? rss)
    {
        Console.WriteLine($"\nload with {picks.Papers:N0} real papers ({(embedded ? "embedded" : "NOT embedded: semantic and hybrid fall back to keyword")}); " +
                          $"latest day {picks.Latest:yyyy-MM-dd}, paper {picks.Paper}; {seconds} s per run; wrk on the same machine\n");
        Console.WriteLine("| route | path | bytes | conns | app req/s | app p50 / p99 ms | static req/s | static p50 / p99 ms | app / static | failed | server RSS MiB |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
            Console.WriteLine($"| {r.Route.Name} | `{r.Route.Shown}` | {r.Bytes:N0} | {r.Connections} | {r.App.Rate:N0} | {Latency(r.App)} | " +
                              $"{r.Static.Rate:N0} | {Latency(r.Static)} | {Ratio(r)} | {r.App.Failed} | {r.RssMiB} |");
        Console.WriteLine($"\nWarm-up before each route (s, until a 2 s window is no more than 5% faster than the last): " +
                          string.Join(", ", rows.DistinctBy(r => r.Route.Name).Select(r => $"{r.Route.Name} {r.WarmSeconds}")));
        Console.WriteLine($"\n{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; load average before {loadBefore}, after {LoadAverage()}; " +
                          $"server RSS at the end {rss?.Now() ?? 0} MiB; {Environment.ProcessorCount} cores; .NET {Environment.Version}");
    }

    static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) + " (1, 5, 15 min)" : "unknown";
}

static class LoadData
{
    /// <summary>
    /// The embedded copy of the real papers that search-quality and search-speed keep in bench/.cache/real, when it
    /// exists and every paper has a vector, so semantic and hybrid search run for real; else the pages benchmark's
    /// unembedded copy (semantic then falls back to keyword search, and the table says so). Copied either way.
    /// </summary>
    public static async Task<(string Dir, bool Embedded)> PrepareAsync(string file)
    {
        var real = Path.Combine(BenchHost.CacheDir("real"), "dailypapers.db");
        if (File.Exists(real) && Embedded(real))
        {
            var dir = Directory.CreateTempSubdirectory("loadbench-").FullName;
            using var source = new SqliteConnection($"Data Source={real};Mode=ReadOnly;Pooling=False");
            using var target = new SqliteConnection($"Data Source={Path.Combine(dir, "dailypapers.db")};Pooling=False");
            source.Open();
            source.BackupDatabase(target);
            return (dir, true);
        }
        Console.Error.WriteLine("no embedded copy in bench/.cache/real (run search-quality once to make it): semantic search will fall back to keyword");
        return (await PagesData.PrepareAsync(file), false);
    }

    static bool Embedded(string db)
    {
        using var c = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT (SELECT count(*) FROM papers) > 0 AND (SELECT count(*) FROM papers) = (SELECT count(*) FROM paper_vectors)";
        try { return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 1; }
        catch (SqliteException) { return false; }
    }
}
