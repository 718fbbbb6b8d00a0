namespace DailyPapers.Search;

/// <summary>
/// Hybrid ranking: a convex combination of the two lists' normalised scores (Bruch et al., "An Analysis of Fusion
/// Functions for Hybrid Retrieval", 2023), with the keyword share chosen by the query's shape. On the dev set a
/// keyword-like query (a few words, no stop word) loses with any semantic share: two keywords mean little to a
/// sentence model among ten thousand ML abstracts (task 1 MRR@10, fit half: 0.783 at share 1.0, 0.751 at 0.95).
/// A query in plain language (a stop word, or many words) gains from it (tasks 2 and 3). The shares were chosen by
/// `search-quality --sweep` on one half of each task's queries (README, "Search quality").
/// </summary>
public static class Fusion
{
    /// <summary>The keyword share for keyword-like and for natural-language queries, and how many words make a query long.</summary>
    public sealed record Weights(double KeywordLike, double Natural, int LongFrom);

    /// <summary>
    /// Keyword scores alone decide, for every query shape: on the Lucene keyword ranking every semantic share lost on
    /// all three tasks (fit half, worst margin -0.033 at the best share below 1), so the sentence model only adds the
    /// papers the keyword list lacks, nearest first. The shape-dependent weights stay for a stronger model to earn.
    /// </summary>
    public static readonly Weights Chosen = new(KeywordLike: 1.0, Natural: 1.0, LongFrom: 10);

    // Lucene's English stop set: the words a keyword query leaves out and a sentence cannot do without.
    static readonly HashSet<string> StopWords = new(["a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if",
        "in", "into", "is", "it", "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
        "they", "this", "to", "was", "will", "with"], StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Fuses the keyword list (best first, higher score better) with the query's cosine to every candidate of either
    /// list. Keyword scores are read down the list as a running minimum, so the list's own order is kept: the keyword
    /// search puts papers with all the words before papers with some, and the latter may have the higher BM25. Each
    /// side is divided by its best (0 stays 0), so being in a list always counts; a paper missing from one side scores
    /// 0 there. Ties keep the keyword order, then the nearer meaning, then the id.
    /// </summary>
    public static List<(string Id, double Score)> Rank(IReadOnlyList<KeywordHit> keyword, IReadOnlyDictionary<string, double> cosines,
        SearchQuery query, Weights? weights = null)
    {
        var share = KeywordShare(query, weights ?? Chosen);
        var keywordScores = Envelope(keyword);
        var best = cosines.Count == 0 ? 0 : cosines.Values.Max();
        var order = new Dictionary<string, int>();
        for (var i = 0; i < keyword.Count; i++) order.TryAdd(keyword[i].Id, i);
        return keywordScores.Keys.Union(cosines.Keys)
            .Select(id => (Id: id, Score: share * keywordScores.GetValueOrDefault(id)
                + (1 - share) * (best > 0 ? Math.Max(cosines.GetValueOrDefault(id), 0) / best : 0)))
            .OrderByDescending(x => x.Score).ThenBy(x => order.GetValueOrDefault(x.Id, int.MaxValue))
            .ThenByDescending(x => cosines.GetValueOrDefault(x.Id)).ThenBy(x => x.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>Keyword-like: a field or a prefix, or few words and none of them a stop word.</summary>
    public static double KeywordShare(SearchQuery query, Weights weights)
    {
        var terms = query.Positive.ToList();
        var words = terms.SelectMany(t => t.Text.Split(' ')).ToList();
        var keywordLike = terms.Any(t => t.Field != SearchField.Any || t.Prefix)
            || (words.Count < weights.LongFrom && !words.Any(StopWords.Contains));
        return keywordLike ? weights.KeywordLike : weights.Natural;
    }

    static Dictionary<string, double> Envelope(IReadOnlyList<KeywordHit> keyword)
    {
        var scores = new Dictionary<string, double>();
        var top = keyword.Count == 0 ? 0 : Math.Max(keyword[0].Score, 0);
        var running = double.MaxValue;
        foreach (var hit in keyword)
        {
            running = Math.Min(running, Math.Max(hit.Score, 0));
            scores.TryAdd(hit.Id, top > 0 ? running / top : 0);
        }
        return scores;
    }
}
