using DailyPapers.Papers;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace DailyPapers.Search;

/// <summary>A keyword hit: higher scores are better.</summary>
public sealed record KeywordHit(string Id, double Score);

/// <summary>
/// How keyword results are ranked; chosen on the dev set (README, "Search quality"; bench keyword-sweep). BM25 over one
/// combined field, title and abstract and authors together (KeywordDocument.All: BM25F with equal weights), so a
/// word's evidence saturates once per paper; separate fields with a boosted title lost 0.07 MRR@10 on natural-language
/// queries. Term dependence (Metzler and Croft's sequential dependence model): adjacent query words found next to
/// each other (Ordered) or within Window words in any order (Unordered) add to the score of the top RescoreDepth hits.
/// </summary>
public sealed record KeywordRanking(float Ordered = 1f, float Unordered = 0.3f, int Window = 8, int RescoreDepth = 100, bool Fallback = true, double Common = 1);

/// <summary>
/// Keyword search on the Lucene index (KeywordIndex): the one place that turns a SearchQuery into Lucene queries.
/// Words are ANDed first, the sharper and faster query; when that finds too few, the same words ORed fill the list.
/// Nothing typed is parsed as Lucene syntax: queries are built from SearchQuery's terms, so user text never throws.
/// </summary>
public sealed class KeywordSearch(KeywordIndex index, KeywordFeed feed)
{
    /// <summary>The ranking in use; the search-quality bench sets others to compare.</summary>
    public static KeywordRanking Ranking { get; set; } = new();

    /// <param name="seen">The data version, read before this call (SearchRows.Version).</param>
    public async Task<IReadOnlyList<KeywordHit>> SearchAsync(SearchQuery query, SearchFilters filters, int limit, Web.DataVersion.Stamp? seen, CancellationToken ct = default)
    {
        await feed.CatchUpAsync(seen, ct);
        var filter = KeywordFilters.Of(filters, query.Categories);
        if (!query.Positive.Any()) return index.Read(s => Newest(s, filter, limit));
        return index.Read(s => Ranked(s, query, filter, limit, Ranking));
    }

    static List<KeywordHit> Ranked(IndexSearcher searcher, SearchQuery query, Filter? filter, int limit, KeywordRanking r)
    {
        // Each term is looked up once per query: the all-words query, the fallback and the term dependence share it.
        var looked = new Dictionary<Term, TermContext>();
        TermContext Context(Term t) => looked.TryGetValue(t, out var c) ? c : looked[t] = TermContext.Build(searcher.TopReaderContext, t);
        var all = Build(query, Occur.MUST, KeywordDocument.All, Context);
        if (all is null) return [];
        var dependence = TermDependence.Of(searcher, DependentWords(query, r), r, Context);
        var hits = Top(searcher, all, filter, limit, r, dependence);
        if (!r.Fallback || hits.Count >= limit || query.Positive.Count() < 2) return hits;
        var seen = hits.Select(h => h.Id).ToHashSet();
        var some = Top(searcher, SomeWords(searcher, query, r, Context), filter, limit, r, dependence);
        return [.. hits, .. some.Where(h => seen.Add(h.Id)).Take(limit - hits.Count)];
    }

    static List<KeywordHit> Top(IndexSearcher searcher, Query query, Filter? filter, int limit, KeywordRanking r, TermDependence? dependence)
    {
        var depth = Math.Max(limit, r.RescoreDepth);
        // Equal scores at the depth are cut by paper id (KeywordTop), as they are ordered below. Documents are scored in
        // order (KeywordTop takes none out of order): for a query of optional words (the fallback) Lucene otherwise
        // picks its BooleanScorer, which allocates a table of 2,048 buckets per segment on every search (15% of the
        // search page's allocations).
        var collector = new KeywordTop(depth);
        searcher.Search(query, filter, collector);
        var top = collector.Hits();
        if (dependence is not null && top.Length > 1) dependence.Rescore(searcher, top);
        // Equal scores are ordered by paper id, not by where a document happens to sit in the index.
        return Ids(searcher, top).OrderByDescending(h => h.Score).ThenBy(h => h.Id, StringComparer.Ordinal).Take(limit).ToList();
    }

    /// <summary>
    /// The fallback: any of the words. A word in more than r.Common of the papers ("model", "learn") only adds to the
    /// score of papers found by a rarer word, so the query never scores every paper holding a common word (the
    /// classic common-terms cut); when every word is common, any of them will do.
    /// </summary>
    static Query SomeWords(IndexSearcher searcher, SearchQuery query, KeywordRanking r, Func<Term, TermContext> context)
    {
        var any = Build(query, Occur.SHOULD, KeywordDocument.All, context)!;
        if (r.Common >= 1) return any;
        var limit = r.Common * searcher.IndexReader.NumDocs;
        bool Common(Query q) => q is TermQuery t && searcher.IndexReader.DocFreq(t.Term) > limit;
        var words = any.Clauses.Where(c => c.Occur == Occur.SHOULD).ToList();
        if (words.All(c => Common(c.Query))) return any;
        var rare = new BooleanQuery();
        foreach (var c in words.Where(c => !Common(c.Query))) rare.Add(c.Query, Occur.SHOULD);
        var cut = new BooleanQuery { { rare, Occur.MUST } };
        foreach (var c in any.Clauses.Where(c => c.Occur == Occur.MUST_NOT || Common(c.Query))) cut.Add(c.Query, c.Occur);
        return cut;
    }

    static List<KeywordHit> Newest(IndexSearcher searcher, Filter? filter, int limit)
    {
        var sort = new Sort(new SortField(KeywordDocument.Published, SortFieldType.INT32, true), SortField.FIELD_DOC);
        return Ids(searcher, searcher.Search(new MatchAllDocsQuery(), filter, limit, sort).ScoreDocs).Select(h => h with { Score = 0 }).ToList();
    }

    static List<KeywordHit> Ids(IndexSearcher searcher, IEnumerable<ScoreDoc> docs)
    {
        var leaves = searcher.IndexReader.Leaves;
        var hits = new List<KeywordHit>();
        var bytes = new BytesRef();
        foreach (var d in docs)
        {
            var leaf = leaves[ReaderUtil.SubIndex(d.Doc, leaves)];
            ((AtomicReader)leaf.Reader).GetSortedDocValues(KeywordDocument.Id).Get(d.Doc - leaf.DocBase, bytes);
            hits.Add(new KeywordHit(bytes.Utf8ToString(), float.IsNaN(d.Score) ? 0 : d.Score));
        }
        return hits;
    }

    /// <summary>The Lucene query a typed query becomes (all words required), for the tests.</summary>
    internal static BooleanQuery? QueryOf(SearchQuery query) => Build(query, Occur.MUST, KeywordDocument.Title);

    /// <summary>
    /// The query of the typed terms: positive ones joined by `join`, exclusions as MUST_NOT. Words without a field
    /// are looked for in `anyField`: the combined field to rank, the title alone for the tests' view of a query (QueryOf).
    /// </summary>
    static BooleanQuery? Build(SearchQuery query, Occur join, string anyField = KeywordDocument.All, Func<Term, TermContext>? context = null)
    {
        var q = new BooleanQuery();
        foreach (var t in query.Positive)
            if (Clause(t, anyField, context) is { } c) q.Add(c, join);
        if (q.Clauses.Count == 0) return null;
        foreach (var t in query.Terms.Where(t => t.Excluded))
            if (Clause(t, anyField, context) is { } c) q.Add(c, Occur.MUST_NOT);
        return q;
    }

    /// <summary>One typed term in its field; null when it is only stop words.</summary>
    static Query? Clause(SearchTerm t, string anyField, Func<Term, TermContext>? context)
    {
        // A stop word ("to", "a") is nothing to look for, even though names keep it: required in the authors field
        // alone, it would turn "robots to fold clothes" into a search for an author called To.
        if (t.Field == SearchField.Any && !t.Prefix && KeywordDocument.Terms(KeywordDocument.Title, t.Text).Count == 0) return null;
        var field = t.Field switch { SearchField.Title => KeywordDocument.Title, SearchField.Author => KeywordDocument.Authors, _ => anyField };
        return InField(field, t, context);
    }

    // A word's query takes its term's lookup from `context` when given: Lucene then skips looking it up again.
    static Query? InField(string field, SearchTerm t, Func<Term, TermContext>? context)
    {
        if (t.Prefix) return new PrefixQuery(new Term(field, KeywordDocument.Folded(t.Text)));
        var terms = KeywordDocument.Terms(field, t.Text);
        if (terms.Count == 0) return null;
        if (terms.Count == 1) return new Term(field, terms[0].Term) is var term && context is not null ? new TermQuery(term, context(term)) : new TermQuery(term);
        var phrase = new PhraseQuery();
        foreach (var (term, position) in terms) phrase.Add(new Term(field, term), position);
        return phrase;
    }

    /// <summary>The query's words in order, as indexed, whose adjacent pairs TermDependence scores (none when it is off).</summary>
    static List<string> DependentWords(SearchQuery query, KeywordRanking r) =>
        r.Ordered <= 0 && r.Unordered <= 0 ? []
            : query.Positive.Where(t => t.Field != SearchField.Author && !t.Prefix).SelectMany(t => KeywordDocument.Terms(KeywordDocument.Title, t.Text)).Select(t => t.Term).ToList();

    /// <summary>Every document's id and fingerprint, for `reindex --verify`.</summary>
    public static Dictionary<string, string> Fingerprints(IndexSearcher searcher)
    {
        var result = new Dictionary<string, string>();
        var reader = searcher.IndexReader;
        var live = MultiFields.GetLiveDocs(reader);
        var fields = new HashSet<string> { KeywordDocument.Id, KeywordDocument.Check };
        for (var d = 0; d < reader.MaxDoc; d++)
        {
            if (live is not null && !live.Get(d)) continue;
            var doc = reader.Document(d, fields);
            result[doc.Get(KeywordDocument.Id)] = doc.Get(KeywordDocument.Check);
        }
        return result;
    }
}

/// <summary>Search filters as index terms and ranges: nothing is joined with the database.</summary>
static class KeywordFilters
{
    public static Filter? Of(SearchFilters f, IReadOnlyList<string> queryCategories)
    {
        var must = new BooleanQuery();
        if (f.From is not null || f.To is not null)
            must.Add(NumericRangeQuery.NewInt32Range(KeywordDocument.Published, f.From?.DayNumber, f.To?.DayNumber, true, true), Occur.MUST);
        if (f.HasCode is { } code) must.Add(new TermQuery(new Term(KeywordDocument.Code, code ? "1" : "0")), Occur.MUST);
        foreach (var c in f.Categories.Concat(queryCategories).Distinct())
            must.Add(new TermQuery(new Term(KeywordDocument.Category, c)), Occur.MUST);
        return must.Clauses.Count == 0 ? null : new QueryWrapperFilter(must);
    }
}

public sealed record SearchFilters(DateOnly? From, DateOnly? To, IReadOnlyList<string> Categories, bool? HasCode)
{
    public bool Any => From is not null || To is not null || Categories.Count > 0 || HasCode is not null;
}
