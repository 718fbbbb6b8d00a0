using System.Diagnostics;
using System.Net;
using Microsoft.Data.Sqlite;

/// <summary>
/// `pages [--n 50] [--warmup 100] [--port 5874]`: the server time of every reader-facing page, with the real papers
/// imported, against /site.css (a static resource the app serves from memory) measured in the same run. Each page:
/// warm-up requests, then n sequential GETs on one keep-alive connection, timed from sending to the last byte.
/// No Accept-Encoding is sent, so bodies are uncompressed, as behind an HTTPS proxy (the app compresses plain HTTP only).
/// </summary>
static class PagesBench
{
    const string Baseline = "/site.css";
    // Measuring a page stops after this long, so a pathologically slow page shows fewer requests, not minutes more.
    static readonly TimeSpan PageBudget = TimeSpan.FromSeconds(30);
    static readonly TimeSpan WarmupBudget = TimeSpan.FromSeconds(10);
    const int BaselineBetweenPages = 10;

    sealed record Row(string Page, bool SignedIn, HttpStatusCode Status, List<double> Times, int Bytes)
    {
        public double Median => P(0.5);
        public double P(double q)
        {
            var sorted = Times.Order().ToList();
            return sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
        }
    }

    public static async Task<int> RunAsync(string file, int n, int warmup, int port)
    {
        // Ports 5870-5879 are this bench's, away from the app's 5000 and other benches.
        if (port is < 5870 or > 5879 || n < 1 || warmup < 0)
        {
            Console.Error.WriteLine("pages: --port must be 5870-5879, --n at least 1, --warmup at least 0");
            return 2;
        }
        var data = await PagesData.PrepareAsync(file);
        try
        {
            var picks = PagesData.Pick(data);
            await using var server = await PagesServer.StartAsync(data, port);
            var (rows, baseline) = await MeasureAllAsync(server, picks, n, warmup);
            Print(rows, baseline, picks, n, warmup);
            return rows.All(r => r.Status == HttpStatusCode.OK) ? 0 : 1;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, true);
        }
    }

    /// <summary>Every page a reader can open, with the reader it needs; ids and names come from the data (PagesPicks).</summary>
    static List<(string Path, bool SignedIn)> Pages(PagesPicks p) =>
    [
        ("/", false), ($"/papers?{p.Week}", false), ($"/papers?{p.Month}", false), ("/trending", false), ("/trending?window=week", false),
        ("/search?q=diffusion", false), ($"/papers/{p.Paper}", false), ($"/authors/{Uri.EscapeDataString(p.Author)}", false),
        ($"/organizations/{Uri.EscapeDataString(p.Organization)}", false), ("/categories", false), ("/categories/cs.CV", false),
        ("/calendar", false), ("/stats", false), ("/submit", false), ("/about/trending", false), ("/papers.rss", false),
        ("/for-you", true), ("/collections", true), ("/follows", true), ("/account", true), ("/notifications", true), ("/admin", true),
    ];

    /// <summary>
    /// Every page in turn, with the baseline before, after, and a few requests between pages. /site.css takes a
    /// fraction of a millisecond, where how awake the cores are shows: on a quiet machine one run's first baseline
    /// block took 0.28 ms and its last 0.07 ms, while under load both took 0.12 ms. Ratios use the median of all
    /// the run's baseline requests (the pooled row); the first and last blocks show how far it moved.
    /// </summary>
    static async Task<(List<Row> Rows, Row Baseline)> MeasureAllAsync(PagesServer server, PagesPicks picks, int n, int warmup)
    {
        using var reader = new PagesVisitor(server.Site);
        using var member = new PagesVisitor(server.Site);
        await member.SignUpAndInAsync("reader@bench.example.org", "a bench reader's password");
        await SetUpAsync(member, picks);
        // Two requests to every page first, so the shared code (middleware, layout) is compiled before the baseline.
        for (var round = 0; round < 2; round++)
            foreach (var (path, signedIn) in Pages(picks)) await (signedIn ? member : reader).TimeGetAsync(path);
        var first = await MeasureAsync(server, reader, Baseline, false, n, warmup) with { Page = $"baseline, first: {Baseline}" };
        var (rows, pooled) = (new List<Row> { first }, new List<double>(first.Times));
        foreach (var (path, signedIn) in Pages(picks))
        {
            var row = await MeasureAsync(server, signedIn ? member : reader, path, signedIn, n, warmup);
            Console.Error.WriteLine($"  {path}: {(int)row.Status}, median {row.Median:F1} ms over {row.Times.Count}");
            rows.Add(row);
            for (var i = 0; i < BaselineBetweenPages; i++) pooled.Add((await reader.TimeGetAsync(Baseline)).Ms);
        }
        var last = await MeasureAsync(server, reader, Baseline, false, n, warmup) with { Page = $"baseline, last: {Baseline}" };
        rows.Add(last);
        var all = first with { Page = $"baseline, pooled: {Baseline}", Times = [.. pooled, .. last.Times] };
        rows.Add(all);
        return (rows, all);
    }

    /// <summary>
    /// What a signed-in reader has, so their pages are not empty: four follows (the most frequent author,
    /// organisation and keyword, and cs.CV), a collection of the five most upvoted papers, upvotes on them, and three
    /// comments on the most upvoted, whose page is measured. The account is the hub's first, so its admin.
    /// </summary>
    static async Task SetUpAsync(PagesVisitor member, PagesPicks picks)
    {
        (string Kind, string Value)[] follows = [("author", picks.Author), ("organization", picks.Organization), ("category", "cs.CV"), ("keyword", picks.Keyword)];
        foreach (var (kind, value) in follows)
            await member.ApiAsync("/api/follows", new { kind, value });
        var collection = (await member.ApiAsync("/api/collections", new { name = "Reading list", isPublic = false }))!.Value.GetProperty("id").GetInt64();
        foreach (var paper in picks.Top)
        {
            await member.ApiAsync($"/api/collections/{collection}/papers", new { arxivId = paper });
            await member.ApiAsync($"/api/papers/{paper}/upvote", new { });
        }
        string[] comments = ["Clear write-up; the ablation in section 4 is what convinced me.",
            "Is the code for the **training** run released?", "See also the follow-up work on the same benchmark."];
        foreach (var body in comments)
            await member.ApiAsync($"/api/papers/{picks.Paper}/comments", new { body });
    }

    /// <summary>
    /// Warm-up requests, then n timed ones once the server is idle, so a page is timed as a long-running server runs
    /// it. .NET optimises a hot method in steps (tiered compilation with dynamic PGO: about 30 calls instrumented, 30
    /// more, then a background recompile), in the server and in this client alike: /site.css took 0.16-0.22 ms after
    /// 40 warm-ups and an idle wait, and settled at 0.07 ms only after about 130 requests, hence 100 by default.
    /// Warm-up stops after WarmupBudget: a page that slow is not bound by the JIT.
    /// </summary>
    static async Task<Row> MeasureAsync(PagesServer server, PagesVisitor visitor, string path, bool signedIn, int n, int warmup)
    {
        var warming = Stopwatch.StartNew();
        for (var i = 0; i < warmup && warming.Elapsed < WarmupBudget; i++) await visitor.TimeGetAsync(path);
        await server.WaitUntilIdleAsync();
        var times = new List<double>(n);
        (HttpStatusCode Status, double Ms, int Bytes) last = default;
        var budget = Stopwatch.StartNew();
        while (times.Count < n && (times.Count == 0 || budget.Elapsed < PageBudget))
        {
            last = await visitor.TimeGetAsync(path);
            times.Add(last.Ms);
        }
        return new Row(path, signedIn, last.Status, times, last.Bytes);
    }

    static void Print(List<Row> rows, Row baseline, PagesPicks picks, int n, int warmup)
    {
        Console.WriteLine($"\npages with {picks.Papers:N0} real papers (no embeddings); latest day {picks.Latest:yyyy-MM-dd}; paper {picks.Paper}, " +
                          $"author {picks.Author}, organisation {picks.Organization}; up to {warmup} warm-up (at most {WarmupBudget.TotalSeconds:F0} s) + {n} timed requests a page\n");
        Console.WriteLine($"| page | reader | status | n | median ms | p90 ms | bytes | median vs pooled {Baseline} |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
            Console.WriteLine($"| {r.Page} | {(r.SignedIn ? "signed in" : "anonymous")} | {(int)r.Status} | {r.Times.Count} | {r.Median:F2} | {r.P(0.9):F2} | {r.Bytes:N0} | {r.Median / baseline.Median:F1}x |");
        Console.WriteLine($"\n{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; load average {LoadAverage()}; {Environment.ProcessorCount} cores; .NET {Environment.Version}");
    }

    static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) + " (1, 5, 15 min)" : "unknown";
}
