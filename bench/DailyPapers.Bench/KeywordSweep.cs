using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics;
using DailyPapers.Search;

/// <summary>
/// Chooses the keyword ranking on the dev set: MRR@10 of keyword search alone for each ranking variant, on a seeded
/// sample of each task. Needs no embeddings beyond the cached corpus. `keyword-sweep --take 600`.
/// </summary>
static class KeywordSweep
{
    public static async Task<int> RunAsync(string file, int take)
    {
        await using var app = await BenchHost.RealCorpusAsync(file);
        var tasks = new (string Name, List<(string Query, string PaperId)> List)[]
        {
            ("task 1", Sample(KnownItems.Load(file), take)),
            ("task 2", Sample(KnownItems.Summaries(file), take)),
        };
        Console.WriteLine($"| ranking | {string.Join(" | ", tasks.Select(t => t.Name + " MRR@10"))} | ms/query |");
        Console.WriteLine($"|---|{string.Join("|", tasks.Select(_ => "---"))}|---|");
        // The cached corpus's index is shared with the other benchmarks: built with the default title weight first
        // (whatever an interrupted run left), and again at the end.
        var weight = KeywordDocument.TitleWeight;
        await RebuildAsync(app);
        foreach (var (name, ranking, titleWeight) in Variants())
        {
            if (titleWeight != KeywordDocument.TitleWeight)
            {
                KeywordDocument.TitleWeight = titleWeight;
                await RebuildAsync(app);
            }
            KeywordSearch.Ranking = ranking;
            var clock = Stopwatch.StartNew();
            var scores = new List<double>();
            foreach (var (_, list) in tasks) scores.Add(await MrrAsync(app, list));
            var ms = clock.Elapsed.TotalMilliseconds / tasks.Sum(t => t.List.Count);
            Console.WriteLine($"| {name} | {string.Join(" | ", scores.Select(s => s.ToString("F3")))} | {ms:F1} |");
        }
        KeywordSearch.Ranking = new();
        KeywordDocument.TitleWeight = weight;
        await RebuildAsync(app);
        return 0;
    }

    static async Task RebuildAsync(Microsoft.AspNetCore.Builder.WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<KeywordFeed>().RebuildAsync();
    }

    static List<(string, string)> Sample(List<(string, string)> all, int take) =>
        all.Select((t, i) => (t, key: new Random(i * 7919 + 13).Next())).OrderBy(x => x.key).Take(take).Select(x => x.t).ToList();

    static async Task<double> MrrAsync(Microsoft.AspNetCore.Builder.WebApplication app, List<(string Query, string PaperId)> tasks)
    {
        double mrr = 0;
        foreach (var (query, id) in tasks)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var rank = (await SearchQualityBench.SearchAsync(scope.ServiceProvider, query, SearchMode.Keyword)).IndexOf(id);
            if (rank >= 0) mrr += 1.0 / (rank + 1);
        }
        return mrr / tasks.Count;
    }

    static IEnumerable<(string, KeywordRanking, int)> Variants()
    {
        var d = new KeywordRanking();
        var w = KeywordDocument.TitleWeight;
        yield return ("default " + d + $" title x{w}", d, w);
        yield return ("no term dependence", d with { Ordered = 0, Unordered = 0 }, w);
        yield return ("no fallback (all words only)", d with { Fallback = false }, w);
        yield return ("ordered 2, unordered 0.5", d with { Ordered = 2f, Unordered = 0.5f }, w);
        yield return ("ordered 0.5, unordered 0.2", d with { Ordered = 0.5f, Unordered = 0.2f }, w);
        yield return ("window 12", d with { Window = 12 }, w);
        yield return ("rescore 30", d with { RescoreDepth = 30 }, w);
        foreach (var common in new[] { 0.01, 0.03, 0.1, 0.2 })
            yield return ($"fallback: words in more than {common:P0} of papers only add to the score", d with { Common = common }, w);
        yield return ("title x2", d, 2);
    }
}
