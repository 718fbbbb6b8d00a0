using Lucene.Net.Index;
using Lucene.Net.Search;

namespace DailyPapers.Search;

/// <summary>
/// Term dependence of the sequential dependence model (Metzler and Croft, 2005) for the top hits: each pair of
/// adjacent query words adds a BM25 score whose term frequency counts the pair's occurrences in a paper, ordered (as
/// typed, at most one word between) and unordered (within Window words), each occurrence weighted by 1/(length + 1)
/// as Lucene's span queries weight theirs. The counts come from the hits' own positions: each word's postings are
/// advanced to each hit (skip lists), so the cost is the hits', not the corpus's. Lucene's span queries, used before,
/// walked every document holding both words (profile at 100k papers: 6 of the 9 ms median, and it grew with the
/// corpus), even when told to accept only the hits.
/// </summary>
static class TermDependence
{
    /// <summary>Adds the pairs' scores to the hits (any order, any segments).</summary>
    public static void Rescore(IndexSearcher searcher, ScoreDoc[] hits, IReadOnlyList<string> words, KeywordRanking r)
    {
        var distinct = words.Distinct().ToArray();
        var contexts = distinct.Select(w => TermContext.Build(searcher.TopReaderContext, new Term(KeywordDocument.All, w))).ToArray();
        // Pairs as indexes into `distinct`, so a hit's positions are an array, not a dictionary per hit.
        var pairs = Enumerable.Range(0, words.Count - 1).Select(i => (A: Array.IndexOf(distinct, words[i]), B: Array.IndexOf(distinct, words[i + 1])))
            .Where(p => p.A != p.B && contexts[p.A].DocFreq > 0 && contexts[p.B].DocFreq > 0)
            .Select(p => (p.A, p.B, Weight: PairWeight(searcher, distinct, contexts, p.A, p.B))).ToList();
        if (pairs.Count == 0) return;
        var leaves = searcher.IndexReader.Leaves;
        var positions = new int[distinct.Length][];
        foreach (var group in hits.GroupBy(h => ReaderUtil.SubIndex(h.Doc, leaves)))
        {
            var leaf = leaves[group.Key];
            var postings = distinct.Select(w => leaf.AtomicReader.GetTermPositionsEnum(new Term(KeywordDocument.All, w))).ToArray();
            var scorers = pairs.Select(p => (p.A, p.B, Scorer: KeywordIndex.Similarity.GetSimScorer(p.Weight, leaf))).ToList();
            foreach (var hit in group.OrderBy(h => h.Doc))
            {
                var doc = hit.Doc - leaf.DocBase;
                for (var w = 0; w < postings.Length; w++) positions[w] = Positions(postings[w], doc);
                foreach (var (a, b, scorer) in scorers)
                {
                    var (ordered, unordered) = Frequencies(positions[a], positions[b], r.Window);
                    if (ordered > 0) hit.Score += r.Ordered * scorer.Score(doc, ordered);
                    if (unordered > 0) hit.Score += r.Unordered * scorer.Score(doc, unordered);
                }
            }
        }
    }

    // BM25 with the two words' idf summed, as a span query over them is weighted; boost 1 (the caller scales).
    static Lucene.Net.Search.Similarities.Similarity.SimWeight PairWeight(IndexSearcher searcher, string[] words, TermContext[] contexts, int a, int b)
    {
        var weight = KeywordIndex.Similarity.ComputeWeight(1f, searcher.CollectionStatistics(KeywordDocument.All),
            searcher.TermStatistics(new Term(KeywordDocument.All, words[a]), contexts[a]), searcher.TermStatistics(new Term(KeywordDocument.All, words[b]), contexts[b]));
        weight.Normalize(1f, 1f);
        return weight;
    }

    // The word's positions in the document; empty when it is not there. Documents are asked for in ascending order.
    static int[] Positions(DocsAndPositionsEnum? postings, int doc)
    {
        if (postings is null) return [];
        if (postings.DocID < doc) postings.Advance(doc);
        if (postings.DocID != doc) return [];
        var positions = new int[postings.Freq];
        for (var i = 0; i < positions.Length; i++) positions[i] = postings.NextPosition();
        return positions;
    }

    /// <summary>
    /// The pair's weighted frequencies in one document. Ordered: each b with an a one or two positions before it
    /// (Lucene's ordered span with slop 1), the nearest such a. Unordered: each neighbouring a–b in position order
    /// within `window` words (an unordered span with slop window − 2). An occurrence of length L counts 1/(L + 1).
    /// </summary>
    internal static (float Ordered, float Unordered) Frequencies(int[] a, int[] b, int window)
    {
        if (a.Length == 0 || b.Length == 0) return (0, 0);
        float ordered = 0, unordered = 0;
        var k = -1; // the last a before q: positions are ascending
        foreach (var q in b)
        {
            while (k + 1 < a.Length && a[k + 1] < q) k++;
            if (k >= 0 && q - a[k] <= 2) ordered += 1f / (q - a[k] + 2);
        }
        var (i, j, last, lastFromA) = (0, 0, -1, false);
        while (i < a.Length || j < b.Length)
        {
            var fromA = j >= b.Length || (i < a.Length && a[i] <= b[j]);
            var position = fromA ? a[i++] : b[j++];
            if (last >= 0 && fromA != lastFromA && position - last <= window - 1) unordered += 1f / (position - last + 2);
            (last, lastFromA) = (position, fromA);
        }
        return (ordered, unordered);
    }
}
