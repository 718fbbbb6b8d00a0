using DailyPapers.Search;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

/// <summary>
/// What hybrid search fuses, per query: the keyword list (best first, higher score better) and the query's cosine
/// with every candidate of either list, as SearchService reads them (100 deep). Collected once, so fusions can be
/// compared in memory.
/// </summary>
sealed record Candidates(string Task, string Query, string Answer, SearchQuery Parsed,
    List<(string Id, double Score)> Keyword, List<string> Semantic, Dictionary<string, double> Cosines, List<string> Baseline);

static class FusionBench
{
    const int Depth = 100;

    public static async Task<List<Candidates>> CollectAsync(WebApplication app, string task, IEnumerable<(string Query, string PaperId)> tasks)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var keyword = scope.ServiceProvider.GetRequiredService<KeywordSearch>();
        var embedder = scope.ServiceProvider.GetRequiredService<Embedder>();
        var index = scope.ServiceProvider.GetRequiredService<VectorIndex>();
        var none = new SearchFilters(null, null, [], null);
        var all = new List<Candidates>();
        foreach (var (text, id) in tasks)
        {
            if (!SearchQuery.TryParse(text, out var query, out _)) continue;
            var kw = (await keyword.SearchAsync(query, none, Depth, scope.ServiceProvider.GetRequiredService<SearchRows>().Version())).Select(h => (h.Id, h.Score)).ToList();
            var vector = embedder.EmbedQuery(query.SemanticText);
            var sem = index.Search(vector, Depth);
            var cosines = sem.ToDictionary(h => h.Id, h => (double)h.Score);
            foreach (var (hit, _) in kw.Where(h => !cosines.ContainsKey(h.Id)))
                if (index.VectorOf(hit) is { } v) cosines[hit] = System.Numerics.Tensors.TensorPrimitives.Dot(v, vector);
            var baseline = (await PlainBm25.OfAsync(scope.ServiceProvider.GetRequiredService<DailyPapers.Data.AppDb>())).Search(text);
            all.Add(new(task, text, id, query, kw, sem.Select(h => h.Id).ToList(), cosines, baseline));
            if (all.Count % 500 == 0) Console.Error.WriteLine($"  task {task}: {all.Count} queries");
        }
        return all;
    }

    /// <summary>At most n queries, spread evenly over the list (which runs in date order): the same ones every run.</summary>
    public static List<(string Query, string PaperId)> Sample(List<(string Query, string PaperId)> tasks, int n) =>
        tasks.Count <= n ? tasks : Enumerable.Range(0, n).Select(i => tasks[(int)((long)i * tasks.Count / n)]).ToList();

    /// <summary>Reciprocal rank of the answer within the first 10 (0 if absent).</summary>
    public static double Rr(IEnumerable<string> ranked, string answer)
    {
        var rank = ranked.Take(10).ToList().IndexOf(answer);
        return rank < 0 ? 0 : 1.0 / (rank + 1);
    }
}

/// <summary>
/// The search-quality table and the sweep that chose Fusion.Chosen, both from collected candidates: keyword mode is
/// the keyword list's first 10, semantic the nearest 10, hybrid Fusion.Rank on both, as SearchService computes them
/// (checked end to end on the first queries of each task).
/// </summary>
static class FusionTable
{
    public static List<(string Name, string Title, List<(string Query, string PaperId)> Tasks)> Tasks(string file) =>
    [
        ("1", "two of the paper's ai_keywords (seed 42)", KnownItems.Load(file)),
        ("2", "the first 12 words of its ai_summary", KnownItems.Summaries(file)),
        ("3", "its ai_summary's first sentence without its name and rare words (data/task3.tsv)", MeaningTask.Load(MeaningTask.DefaultPath)),
    ];

    public static async Task<int> RunAsync(string file, int take, bool sweep)
    {
        await using var app = await BenchHost.RealCorpusAsync(file);
        var all = new List<Candidates>();
        foreach (var (name, title, tasks) in Tasks(file))
        {
            var sample = FusionBench.Sample(tasks, take);
            Console.WriteLine($"task {name}: {sample.Count} of {tasks.Count} queries, 2024-2025 papers, query = {title}");
            all.AddRange(await FusionBench.CollectAsync(app, name, sample));
            var (same, checkedCount) = await EndToEndAsync(app, all.Where(c => c.Task == name).Take(30));
            Console.WriteLine($"  end-to-end check: SearchService hybrid top 10 = Fusion.Rank top 10 on {same} of {checkedCount} queries");
        }
        Console.WriteLine();
        Table(all);
        if (sweep) Sweep(all);
        return 0;
    }

    static async Task<(int Same, int Checked)> EndToEndAsync(WebApplication app, IEnumerable<Candidates> candidates)
    {
        int same = 0, n = 0;
        foreach (var c in candidates)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var served = await SearchQualityBench.SearchAsync(scope.ServiceProvider, c.Query, SearchMode.Hybrid);
            same += served.SequenceEqual(Hybrid(c, Fusion.Chosen).Take(10)) ? 1 : 0;
            n++;
        }
        return (same, n);
    }

    static IEnumerable<string> Hybrid(Candidates c, Fusion.Weights w) =>
        Fusion.Rank(c.Keyword.Select(h => new KeywordHit(h.Id, h.Score)).ToList(), c.Cosines, c.Parsed, w).Select(r => r.Id);

    // The fusion before this one: max-normalised scores, keyword share 0.8, whatever the query.
    static IEnumerable<string> Before(Candidates c) =>
        OldFusion.Fuse(c.Keyword.Select(h => new KeywordHit(h.Id, h.Score)).ToList(), [], c.Cosines, 0.8).Select(r => r.Id);

    static readonly (string Name, Func<Candidates, IEnumerable<string>> Rank)[] Modes =
    [
        ("baseline: plain BM25 (Lucene defaults, one field, words ORed)", c => c.Baseline),
        ("keyword", c => c.Keyword.Select(h => h.Id)),
        ("semantic (all-MiniLM-L6-v2)", c => c.Semantic),
        ("hybrid before: scores 0.8 / 0.2", Before),
        ("hybrid: Fusion.Chosen", c => Hybrid(c, Fusion.Chosen)),
    ];

    static void Table(List<Candidates> all)
    {
        var names = all.Select(c => c.Task).Distinct().ToList();
        Console.WriteLine("| mode | " + string.Join(" | ", names.Select(n => $"task {n} MRR@10 | task {n} R@10")) + " |");
        Console.WriteLine("|---|" + string.Concat(names.Select(_ => "---|---|")));
        foreach (var (mode, rank) in Modes)
            Console.WriteLine($"| {mode} | " + string.Join(" | ", names.Select(n =>
            {
                var (mrr, recall) = Score(all.Where(c => c.Task == n), rank);
                return $"{mrr:F3} | {recall:F3}";
            })) + " |");
    }

    static (double Mrr, double Recall) Score(IEnumerable<Candidates> cs, Func<Candidates, IEnumerable<string>> rank)
    {
        var rrs = cs.Select(c => FusionBench.Rr(rank(c), c.Answer)).ToList();
        return rrs.Count == 0 ? (0, 0) : (rrs.Average(), rrs.Count(r => r > 0) / (double)rrs.Count);
    }

    // The issue's goal: on each task, hybrid ≥ max(keyword, semantic) − 0.005.
    const double Tolerance = 0.005;

    static string Signed(double x) => (x >= 0 ? "+" : "") + x.ToString("F3");

    /// <summary>
    /// Every weight on a grid, fitted on the even-numbered queries of each task and reported on the odd ones. Among
    /// the grid points that meet the goal on every task of the fit half, the highest mean MRR@10 wins.
    /// </summary>
    static void Sweep(List<Candidates> all)
    {
        var tasks = all.GroupBy(c => c.Task).ToList();
        var fit = tasks.Select(g => (g.Key, g.Where((_, i) => i % 2 == 0).ToList())).ToList();
        var held = tasks.Select(g => (g.Key, g.Where((_, i) => i % 2 == 1).ToList())).ToList();
        var full = tasks.Select(g => (g.Key, g.ToList())).ToList();
        var grid = (from k in new[] { 0.8, 0.9, 0.95, 1.0 }
                    from n in new[] { 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0 }
                    from l in new[] { 6, 8, 10 }
                    select new Fusion.Weights(k, n, l)).ToList();
        Console.WriteLine($"\nsweep on the fit half (even-numbered queries of each task); margin = worst task's hybrid − max(keyword, semantic), goal ≥ −{Tolerance}\n");
        Console.WriteLine("| keyword-like share | natural share | long from | " + string.Join(" | ", fit.Select(f => $"task {f.Key}")) + " | margin |");
        Console.WriteLine("|---|---|---|" + string.Concat(fit.Select(_ => "---|")) + "---|");
        var rows = grid.Select(w => (W: w, R: Evaluate(fit, w))).ToList();
        foreach (var (w, r) in rows)
            Console.WriteLine($"| {w.KeywordLike} | {w.Natural} | {w.LongFrom} | {string.Join(" | ", r.Mrr.Select(m => m.ToString("F3")))} | {Signed(r.Margin)} |");
        var best = rows.OrderByDescending(r => r.R.Margin >= -Tolerance).ThenByDescending(r => r.R.Mrr.Average()).First();
        Console.WriteLine($"\nbest on the fit half: {best.W}; Fusion.Chosen is {Fusion.Chosen}\n");
        foreach (var (label, set) in new[] { ("fit half", fit), ("held-out half", held), ("all", full) })
        {
            var r = Evaluate(set, Fusion.Chosen);
            var refs = set.Select(s => (Kw: Score(s.Item2, Modes[0].Rank).Mrr, Sem: Score(s.Item2, Modes[1].Rank).Mrr)).ToList();
            Console.WriteLine($"{label,-14} " + string.Join("  ", set.Select((s, i) =>
                $"task {s.Key}: keyword {refs[i].Kw:F3} semantic {refs[i].Sem:F3} hybrid {r.Mrr[i]:F3}")) + $"  margin {Signed(r.Margin)}");
        }
    }

    static (List<double> Mrr, double Margin) Evaluate(List<(string Key, List<Candidates>)> tasks, Fusion.Weights w)
    {
        var mrr = tasks.Select(t => Score(t.Item2, c => Hybrid(c, w)).Mrr).ToList();
        var margin = tasks.Select((t, i) => mrr[i] - Math.Max(Score(t.Item2, Modes[0].Rank).Mrr, Score(t.Item2, Modes[1].Rank).Mrr)).Min();
        return (mrr, margin);
    }
}

/// <summary>The fusion before issue 12 (a fixed 0.8 keyword share, scores sorted), kept for the "before" row.</summary>
static class OldFusion
{
    /// <summary>
    /// Hybrid ranking as a convex combination of normalised scores (Bruch et al., "An Analysis of Fusion Functions for
    /// Hybrid Retrieval", 2023): unlike reciprocal-rank fusion it keeps how confident each list is, so a clear keyword
    /// match is not outvoted by a flat list of loosely related neighbours, and the reverse. Each score is divided by
    /// its list's best (the "theoretical minimum" normalisation: BM25 and useful cosines start at 0), so being in a
    /// list always counts, unlike min-max, which sets a list's last hit to nothing. Every candidate of either list gets
    /// its exact cosine; one missing from the keyword list scores 0 there.
    /// </summary>
    public static List<(string Id, double Score)> Fuse(IReadOnlyList<KeywordHit> keyword, IReadOnlyList<VectorHit> semantic,
        IReadOnlyDictionary<string, double> cosines, double keywordShare)
    {
        var bm25 = Normalise(keyword.ToDictionary(h => h.Id, h => h.Score));
        var cos = Normalise(cosines);
        return bm25.Keys.Union(cos.Keys)
            .Select(id => (Id: id, Score: keywordShare * bm25.GetValueOrDefault(id) + (1 - keywordShare) * cos.GetValueOrDefault(id)))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Id, StringComparer.Ordinal).ToList();
    }

    static Dictionary<string, double> Normalise(IReadOnlyDictionary<string, double> scores)
    {
        var best = scores.Count == 0 ? 0 : scores.Values.Max();
        return scores.ToDictionary(s => s.Key, s => best > 0 ? Math.Max(s.Value, 0) / best : 0);
    }

}
