using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace DailyPapers.Search;

/// <summary>
/// The best-scoring documents, equal scores cut by paper id (the id's doc values; the smaller id is kept), whatever
/// order the index holds them in: a build adds papers from several threads, so two builds of the same table ordered
/// ties differently, and 4 of the 500 dev queries' lists differed between them. Lucene's TopFieldCollector sorting by
/// score, then id, does the same, but compares every hit through its sort fields (its Collect was 10% of the search
/// page's search time in a profile); here each hit costs one comparison of scores, except ties with the last kept hit.
/// </summary>
sealed class KeywordTop(int size) : ICollector
{
    /// <summary>A kept hit: its segment's position in `ids`, for comparing ids with a later hit's.</summary>
    record struct Hit(float Score, int Doc, int Segment, int Ord);

    readonly Hit[] heap = new Hit[Math.Max(size, 1)]; // a min-heap: heap[0] is the worst kept hit
    readonly List<SortedDocValues> ids = [];
    int count, docBase;
    Scorer scorer = null!;

    public bool AcceptsDocsOutOfOrder => false;

    public void SetScorer(Scorer scorer) => this.scorer = scorer;

    public void SetNextReader(AtomicReaderContext context)
    {
        docBase = context.DocBase;
        ids.Add(context.AtomicReader.GetSortedDocValues(KeywordDocument.Id));
    }

    public void Collect(int doc)
    {
        var score = scorer.GetScore();
        if (count == heap.Length && score < heap[0].Score) return;
        var hit = new Hit(score, docBase + doc, ids.Count - 1, ids[^1].GetOrd(doc));
        if (count < heap.Length)
        {
            heap[count] = hit;
            Up(count++);
        }
        else if (Worse(heap[0], hit))
        {
            heap[0] = hit;
            Down(0);
        }
    }

    /// <summary>The kept hits, in no particular order (callers sort them after rescoring).</summary>
    public ScoreDoc[] Hits() => [.. heap.Take(count).Select(h => new ScoreDoc(h.Doc, h.Score))];

    /// <summary>Whether a ranks below b: a lower score, or the same score and a larger id.</summary>
    bool Worse(Hit a, Hit b) => a.Score != b.Score ? a.Score < b.Score : CompareIds(a, b) > 0;

    int CompareIds(Hit a, Hit b)
    {
        if (a.Segment == b.Segment) return a.Ord.CompareTo(b.Ord);
        BytesRef x = new(), y = new();
        ids[a.Segment].LookupOrd(a.Ord, x);
        ids[b.Segment].LookupOrd(b.Ord, y);
        return x.CompareTo(y);
    }

    void Up(int i)
    {
        while (i > 0 && Worse(heap[i], heap[(i - 1) / 2]))
        {
            (heap[i], heap[(i - 1) / 2]) = (heap[(i - 1) / 2], heap[i]);
            i = (i - 1) / 2;
        }
    }

    void Down(int i)
    {
        while (true)
        {
            var (left, worst) = (2 * i + 1, i);
            if (left < count && Worse(heap[left], heap[worst])) worst = left;
            if (left + 1 < count && Worse(heap[left + 1], heap[worst])) worst = left + 1;
            if (worst == i) return;
            (heap[i], heap[worst]) = (heap[worst], heap[i]);
            i = worst;
        }
    }
}
