using System.Diagnostics;
using DailyPapers.Search;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Where keyword search time goes, stage by stage, at one corpus size: the same 500 known-item queries through
/// KeywordSearch with parts of the ranking switched off (no term-dependence rescoring, no "some words" fallback),
/// the outbox catch-up alone, and the whole SearchService call (which adds loading the shown papers).
/// The difference between two rows is what the part costs.
/// </summary>
static class KeywordProfile
{
    public static async Task<int> RunAsync(string file, int size, int rounds)
    {
        var tasks = KnownItems.Load(file).Take(500).Select(t => t.Query).ToList();
        var app = await SearchSpeedBench.CorpusAsync(file, size);
        // The index the corpus folder keeps (search-speed times building it); built here only when missing.
        await using (var scope = app.Services.CreateAsyncScope()) await scope.ServiceProvider.GetRequiredService<KeywordFeed>().CatchUpAsync();
        var full = KeywordSearch.Ranking;
        var variants = new (string Name, KeywordRanking Ranking)[]
        {
            ("BM25, all words only (no fallback, no rescoring)", full with { Fallback = false, Ordered = 0, Unordered = 0 }),
            ("+ fallback (some words when all find too few)", full with { Ordered = 0, Unordered = 0 }),
            ("+ term-dependence rescoring (the default)", full),
            ("the same, fallback: words in > 10% of papers only add", full with { Common = 0.1 }),
            ("the same, fallback: words in > 3% of papers only add", full with { Common = 0.03 }),
        };
        // Every path once before any row: the first row measured must not pay for compiling the code the others share.
        await TimeAsync(app, tasks, 1, (s, q) => SearchQualityBench.SearchAsync(s, q, SearchMode.Keyword));
        Console.WriteLine($"keyword search stages, {size:N0} papers, {tasks.Count} queries x {rounds} rounds, limit 10 (the API's first page)");
        Console.WriteLine($"| {"stage",-52} | p50 ms | p95 ms | p99 ms | mean ms |");
        Console.WriteLine($"|{new string('-', 54)}|--------|--------|--------|---------|");
        Row("outbox catch-up alone (nothing waiting)", await TimeAsync(app, tasks, rounds, (s, _) => s.GetRequiredService<KeywordFeed>().CatchUpAsync()));
        foreach (var (name, ranking) in variants)
        {
            KeywordSearch.Ranking = ranking;
            Row(name, await TimeAsync(app, tasks, rounds, (s, q) => Keyword(s, q, 10)));
        }
        KeywordSearch.Ranking = full;
        Row("default, 100 deep (what hybrid reads)", await TimeAsync(app, tasks, rounds, (s, q) => Keyword(s, q, 100)));
        Row("SearchService, keyword mode (+ loading 10 papers)", await TimeAsync(app, tasks, rounds, (s, q) => SearchQualityBench.SearchAsync(s, q, SearchMode.Keyword)));
        Row("SearchService, with highlights (the search page)", await TimeAsync(app, tasks, rounds, (s, q) => Highlighted(s, q)));
        Console.WriteLine($"fallback taken by {await FallbackShare(app, tasks):P0} of the queries (all words found fewer than 10)");
        await app.DisposeAsync();
        return 0;
    }

    static async Task Keyword(IServiceProvider s, string q, int limit)
    {
        if (SearchQuery.TryParse(q, out var query, out _))
            await s.GetRequiredService<KeywordSearch>().SearchAsync(query, new SearchFilters(null, null, [], null), limit, s.GetRequiredService<SearchRows>().Version());
    }

    static async Task<List<double>> TimeAsync(WebApplication app, List<string> tasks, int rounds, Func<IServiceProvider, string, Task> run)
    {
        foreach (var q in tasks.Take(50)) await Once(app, q, run);
        var times = new List<double>();
        for (var r = 0; r < rounds; r++)
            foreach (var q in tasks)
            {
                var clock = Stopwatch.StartNew();
                await Once(app, q, run);
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
        return times;
    }

    static async Task Once(WebApplication app, string q, Func<IServiceProvider, string, Task> run)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await run(scope.ServiceProvider, q);
    }

    static async Task Highlighted(IServiceProvider s, string text)
    {
        if (!SearchQuery.TryParse(text, out var query, out _)) return;
        await s.GetRequiredService<SearchService>().SearchAsync(new SearchRequest(query, SearchMode.Keyword, 10, new SearchFilters(null, null, [], null)), highlights: true);
    }

    static async Task<double> FallbackShare(WebApplication app, List<string> tasks)
    {
        var ranking = KeywordSearch.Ranking;
        KeywordSearch.Ranking = ranking with { Fallback = false };
        var few = 0;
        foreach (var q in tasks)
        {
            await using var scope = app.Services.CreateAsyncScope();
            if (!SearchQuery.TryParse(q, out var query, out _)) continue;
            var hits = await scope.ServiceProvider.GetRequiredService<KeywordSearch>().SearchAsync(query, new SearchFilters(null, null, [], null), 10,
                scope.ServiceProvider.GetRequiredService<SearchRows>().Version());
            if (hits.Count < 10 && query.Positive.Count() >= 2) few++;
        }
        KeywordSearch.Ranking = ranking;
        return few / (double)tasks.Count;
    }

    static void Row(string name, List<double> times)
    {
        var sorted = times.Order().ToList();
        double P(int p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1)];
        Console.WriteLine($"| {name,-52} | {P(50),6:F2} | {P(95),6:F2} | {P(99),6:F2} | {times.Average(),7:F2} |");
    }
}
