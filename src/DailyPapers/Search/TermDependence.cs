using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;

namespace DailyPapers.Search;

/// <summary>
/// Term dependence of the sequential dependence model (Metzler and Croft, 2005) for the top hits: each pair of
/// adjacent query words adds a BM25 score whose term frequency counts the pair's occurrences in a paper, ordered (as
/// typed, at most one word between) and unordered (within Window words), each occurrence weighted by 1/(length + 1)
/// as Lucene's span queries weight theirs. The counts come from the hits' own positions: each word's postings are
/// advanced to each hit (skip lists), so the cost is the hits', not the corpus's. Lucene's span queries, used before,
/// walked every document holding both words (profile at 100k papers: 6 of the 9 ms median, and it grew with the
/// corpus), even when told to accept only the hits.
/// One instance serves one typed query: the words' term lookups, the pairs' weights and each scored document's
/// pair scores are kept, so the fallback query's hits (mostly the same papers) cost no second pass over positions.
/// </summary>
sealed class TermDependence
{
    readonly KeywordRanking r;
    readonly Term[] words;
    readonly TermContext[] contexts;
    readonly (int A, int B, Similarity.SimWeight Weight)[] pairs;
    // A document's pair scores in the order they are added, so a second Rescore adds the same floats in the same order.
    readonly Dictionary<int, float[]> scored = [];
    readonly int[][] positions;
    readonly int[] counts;
    readonly Dictionary<int, DocsAndPositionsEnum?[]> reuse = [];

    TermDependence(IndexSearcher searcher, Term[] words, TermContext[] contexts, IReadOnlyList<string> typed, KeywordRanking r)
    {
        (this.r, this.words, this.contexts) = (r, words, contexts);
        // Pairs as indexes into `words`, so a hit's positions are an array, not a dictionary per hit.
        var index = words.Select(w => w.Text).ToList();
        pairs = Enumerable.Range(0, typed.Count - 1).Select(i => (A: index.IndexOf(typed[i]), B: index.IndexOf(typed[i + 1])))
            .Where(p => p.A != p.B && contexts[p.A].DocFreq > 0 && contexts[p.B].DocFreq > 0)
            .Select(p => (p.A, p.B, PairWeight(searcher, p.A, p.B))).ToArray();
        positions = words.Select(_ => new int[16]).ToArray();
        counts = new int[words.Length];
    }

    /// <summary>The scorer of the typed words' adjacent pairs; null when no pair can score. `context` looks a term up once per query.</summary>
    public static TermDependence? Of(IndexSearcher searcher, IReadOnlyList<string> typed, KeywordRanking r, Func<Term, TermContext> context)
    {
        if (typed.Count < 2) return null;
        var words = typed.Distinct().Select(w => new Term(KeywordDocument.All, w)).ToArray();
        var found = new TermDependence(searcher, words, words.Select(context).ToArray(), typed, r);
        return found.pairs.Length == 0 ? null : found;
    }

    /// <summary>Adds the pairs' scores to the hits (any order, any segments).</summary>
    public void Rescore(IndexSearcher searcher, ScoreDoc[] hits)
    {
        var leaves = searcher.IndexReader.Leaves;
        var ordered = hits.OrderBy(h => h.Doc).ToArray();
        var start = 0;
        while (start < ordered.Length)
        {
            var leaf = leaves[ReaderUtil.SubIndex(ordered[start].Doc, leaves)];
            var end = start;
            while (end < ordered.Length && ordered[end].Doc < leaf.DocBase + leaf.Reader.MaxDoc) end++;
            Rescore(leaf, ordered.AsSpan(start, end - start));
            start = end;
        }
    }

    // The hits of one segment, in ascending document order.
    void Rescore(AtomicReaderContext leaf, ReadOnlySpan<ScoreDoc> hits)
    {
        DocsAndPositionsEnum?[]? postings = null;
        Similarity.SimScorer[]? scorers = null;
        foreach (var hit in hits)
        {
            if (!scored.TryGetValue(hit.Doc, out var adds))
            {
                postings ??= Postings(leaf);
                scorers ??= pairs.Select(p => KeywordIndex.Similarity.GetSimScorer(p.Weight, leaf)).ToArray();
                adds = Score(hit.Doc - leaf.DocBase, postings, scorers);
                scored[hit.Doc] = adds;
            }
            foreach (var add in adds) hit.Score += add;
        }
    }

    float[] Score(int doc, DocsAndPositionsEnum?[] postings, Similarity.SimScorer[] scorers)
    {
        for (var w = 0; w < postings.Length; w++) counts[w] = Positions(postings[w], doc, ref positions[w]);
        Span<float> adds = pairs.Length <= 128 ? stackalloc float[2 * pairs.Length] : new float[2 * pairs.Length];
        var n = 0;
        for (var p = 0; p < pairs.Length; p++)
        {
            var (a, b, _) = pairs[p];
            var (ordered, unordered) = Frequencies(positions[a].AsSpan(0, counts[a]), positions[b].AsSpan(0, counts[b]), r.Window);
            if (ordered > 0) adds[n++] = r.Ordered * scorers[p].Score(doc, ordered);
            if (unordered > 0) adds[n++] = r.Unordered * scorers[p].Score(doc, unordered);
        }
        return n == 0 ? [] : adds[..n].ToArray();
    }

    // Each word's positions in the segment, from the term states looked up once per query (no second term seek).
    // Enums of an earlier pass are handed back to Lucene to reset: their buffers are reused, not allocated again.
    DocsAndPositionsEnum?[] Postings(AtomicReaderContext leaf)
    {
        var postings = new DocsAndPositionsEnum?[words.Length];
        var terms = leaf.AtomicReader.GetTerms(KeywordDocument.All);
        if (terms is null) return postings;
        TermsEnum? termsEnum = null;
        var old = reuse.GetValueOrDefault(leaf.Ord);
        for (var w = 0; w < words.Length; w++)
        {
            if (contexts[w].Get(leaf.Ord) is not { } state) continue;
            termsEnum ??= terms.GetEnumerator();
            termsEnum.SeekExact(words[w].Bytes, state);
            postings[w] = termsEnum.DocsAndPositions(leaf.AtomicReader.LiveDocs, old?[w]);
        }
        reuse[leaf.Ord] = postings;
        return postings;
    }

    // BM25 with the two words' idf summed, as a span query over them is weighted; boost 1 (the caller scales).
    Similarity.SimWeight PairWeight(IndexSearcher searcher, int a, int b)
    {
        var weight = KeywordIndex.Similarity.ComputeWeight(1f, searcher.CollectionStatistics(KeywordDocument.All),
            searcher.TermStatistics(words[a], contexts[a]), searcher.TermStatistics(words[b], contexts[b]));
        weight.Normalize(1f, 1f);
        return weight;
    }

    // Reads the word's positions in the document into `into` (grown when needed); returns how many, 0 when it is not
    // there. Documents are asked for in ascending order.
    static int Positions(DocsAndPositionsEnum? postings, int doc, ref int[] into)
    {
        if (postings is null) return 0;
        if (postings.DocID < doc) postings.Advance(doc);
        if (postings.DocID != doc) return 0;
        var count = postings.Freq;
        if (into.Length < count) into = new int[Math.Max(count, into.Length * 2)];
        for (var i = 0; i < count; i++) into[i] = postings.NextPosition();
        return count;
    }

    /// <summary>
    /// The pair's weighted frequencies in one document. Ordered: each b with an a one or two positions before it
    /// (Lucene's ordered span with slop 1), the nearest such a. Unordered: each neighbouring a–b in position order
    /// within `window` words (an unordered span with slop window − 2). An occurrence of length L counts 1/(L + 1).
    /// </summary>
    internal static (float Ordered, float Unordered) Frequencies(ReadOnlySpan<int> a, ReadOnlySpan<int> b, int window)
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
