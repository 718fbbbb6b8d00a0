using DailyPapers.Data;
using DailyPapers.Papers;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Search;

public sealed record SearchItem(Paper Paper, double Score, string? TitleHighlight, string? Snippet);

/// <summary>One page of results; HasMore when another page follows; Version: the data version it was read at (SearchRows).</summary>
public sealed record SearchResult(SearchRequest Request, SearchMode Mode, IReadOnlyList<SearchItem> Items, string? Notice, bool HasMore, Web.DataVersion.Stamp? Version);

/// <summary>
/// The search: keyword (BM25), semantic (nearest embeddings) or hybrid (the two lists' scores combined).
/// The page, /api/papers/search and the search feeds all call SearchAsync. Semantic search is a layer on top:
/// without a model or vectors the answer is keyword results and a notice, never an error.
/// </summary>
public sealed class SearchService(AppDb db, KeywordSearch keyword, Embedder embedder, VectorIndex index, VectorFeed feed, SearchRows rows)
{
    // How deep each list is read before fusing.
    const int FusionDepth = 100;

    public async Task<SearchResult> SearchAsync(SearchRequest request, bool highlights = false, CancellationToken ct = default)
    {
        // No connection is opened up front: a keyword search whose rows are kept (SearchRows) reads nothing from the
        // database, and taking one from SQLite's pool and giving it back, both under the pool's lock, was 9% of the
        // keyword API's time at 16 connections once the rows were kept.
        // Vectors written by other instances or the CLI, at most a second old; before choosing, so a first vector counts.
        if (request.Mode is SearchMode.Semantic or SearchMode.Hybrid && embedder.Available) await feed.CatchUpIfDueAsync(db, ct);
        var seen = rows.Version(); // once: every read below keys on it
        var (mode, notice) = ChooseMode(request);
        var vector = mode == SearchMode.Keyword ? null : TryEmbed(request.Query.SemanticText);
        if (mode != SearchMode.Keyword && vector is null)
            (mode, notice) = (SearchMode.Keyword, "Semantic search failed on this query; these are keyword results.");
        var depth = mode == SearchMode.Hybrid ? Math.Max(FusionDepth, request.Depth) : request.Depth;
        var keywordHits = mode == SearchMode.Semantic ? [] : await keyword.SearchAsync(request.Query, request.Filters, KeywordDepth(mode, request), seen, ct);
        var semanticHits = vector is null ? [] : await SemanticAsync(request, vector, depth, seen, ct);
        var ranked = mode switch
        {
            SearchMode.Keyword => keywordHits.Select(h => (h.Id, h.Score)).ToList(),
            SearchMode.Semantic => semanticHits.Select(h => (h.Id, Score: (double)h.Score)).ToList(),
            _ => Fusion.Rank(keywordHits.ToList(), Cosines(vector!, keywordHits, semanticHits), request.Query),
        };
        // Pages cut one ranking, read from the top each time: the order is stable (ties broken by id), so pages neither
        // repeat nor skip a paper while the data stays the same.
        var top = ranked.Skip(request.Page * request.Limit).Take(request.Limit).ToList();
        var papers = await LoadAsync(top.Select(t => t.Id), seen, ct);
        var marks = highlights ? KeywordHighlights.Of(request.Query, papers.Values) : [];
        var items = top.Where(t => papers.ContainsKey(t.Id)).Select(t => new SearchItem(papers[t.Id], t.Score,
            marks.GetValueOrDefault(t.Id).Title, marks.GetValueOrDefault(t.Id).Snippet)).ToList();
        return new SearchResult(request, mode, items, notice, ranked.Count > (request.Page + 1) * request.Limit, seen);
    }

    // Hybrid reads the keyword list deeper than the page only when semantic scores can reorder it: with the keyword
    // share at 1 (Fusion.Chosen) the page's papers are the keyword list's, then the nearest of the rest. Reading 100
    // deep made the "some words" fallback run on almost every query (profile at 1M papers: 27 against 11 ms median).
    static int KeywordDepth(SearchMode mode, SearchRequest request) =>
        mode == SearchMode.Hybrid && Fusion.KeywordShare(request.Query, Fusion.Chosen) < 1 ? Math.Max(FusionDepth, request.Depth) : request.Depth;

    // A model that fails at run time (native error, out of memory) degrades search to keywords instead of a 500.
    float[]? TryEmbed(string text)
    {
        try { return embedder.EmbedQuery(text); }
        catch (Exception ex) when (ex is Microsoft.ML.OnnxRuntime.OnnxRuntimeException or InvalidOperationException or OutOfMemoryException)
        {
            return null;
        }
    }

    // Keyword search is the default: on the dev set neither semantic search nor any fusion with it beat it on any task
    // (README, "Search quality"), and it costs no query embedding. Semantic and hybrid are there to be asked for.
    (SearchMode Mode, string? Notice) ChooseMode(SearchRequest request)
    {
        if (request.Mode is null or SearchMode.Keyword) return (SearchMode.Keyword, null);
        var semanticReady = embedder.Available && index.Count > 0 && request.Query.Positive.Any();
        if (semanticReady) return (request.Mode.Value, null);
        var why = !embedder.Available ? "the sentence model could not be loaded" : index.Count == 0 ? "no paper has been embedded yet" : "the query has no words to embed";
        return (SearchMode.Keyword, $"Semantic search is unavailable ({why}); these are keyword results.");
    }

    // The query's cosine with every candidate, including keyword hits beyond the semantic list's depth.
    Dictionary<string, double> Cosines(float[] query, IReadOnlyList<KeywordHit> keyword, IReadOnlyList<VectorHit> semantic)
    {
        var cosines = semantic.ToDictionary(h => h.Id, h => (double)h.Score);
        foreach (var hit in keyword.Where(h => !cosines.ContainsKey(h.Id)))
            if (index.VectorOf(hit.Id) is { } v) cosines[hit.Id] = System.Numerics.Tensors.TensorPrimitives.Dot(v, query);
        return cosines;
    }

    async Task<IReadOnlyList<VectorHit>> SemanticAsync(SearchRequest request, float[] vector, int depth, Web.DataVersion.Stamp? seen, CancellationToken ct)
    {
        var filtered = request.Filters.Any || request.Query.Terms.Any(t => t.Excluded);
        // Filters are applied after the vector search, so read deeper to still fill the page.
        if (!filtered) return await VisibleAsync(vector, depth, null, seen, ct);
        var hits = index.Search(vector, Math.Max(depth * 10, 1000));
        var papers = await LoadAsync(hits.Select(h => h.Id), seen, ct);
        return hits.Where(h => papers.TryGetValue(h.Id, out var p) && Passes(p, request)).Take(depth).ToList();
    }

    static bool Passes(Paper p, SearchRequest request)
    {
        var f = request.Filters;
        if (f.From is { } from && (p.PublishedAt is null || DateOnly.FromDateTime(p.PublishedAt.Value) < from)) return false;
        if (f.To is { } to && (p.PublishedAt is null || DateOnly.FromDateTime(p.PublishedAt.Value) > to)) return false;
        if (f.HasCode is { } code && (p.GithubRepo is not null) != code) return false;
        if (!f.Categories.All(c => ArxivCategory.Matches(p.Categories, c))) return false;
        return !request.Query.Terms.Where(t => t.Excluded).Any(t =>
            p.Title.Contains(t.Text, StringComparison.OrdinalIgnoreCase) || p.Summary.Contains(t.Text, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Papers most like a given one: nearest embeddings, or, without one, a keyword search on its title.</summary>
    public async Task<IReadOnlyList<SearchItem>> SimilarAsync(Paper paper, int limit, CancellationToken ct = default)
    {
        // The model runs only when there are vectors to compare with: on a hub not yet embedded, embedding the paper on
        // every view (about 40 ms) was thrown away for the keyword fallback.
        if (embedder.Available) await feed.CatchUpIfDueAsync(db, ct);
        var seen = rows.Version();
        var vector = index.Count < 2 ? null
            : index.VectorOf(paper.Id) ?? (embedder.Available ? embedder.EmbedOne(Embeddings.TextOf(paper.Title, paper.Summary)) : null);
        IReadOnlyList<(string Id, double Score)> hits;
        if (vector is not null)
            hits = (await VisibleAsync(vector, limit, paper.Id, seen, ct)).Select(h => (h.Id, (double)h.Score)).ToList();
        else if (SearchQuery.TryParse(paper.Title, out var q, out _))
            hits = (await keyword.SearchAsync(q with { Terms = q.Terms.Select(t => t with { Phrase = false }).ToList() }, new SearchFilters(null, null, [], null), limit + 1, seen, ct))
                .Where(h => h.Id != paper.Id).Take(limit).Select(h => (h.Id, h.Score)).ToList();
        else hits = [];
        var papers = await LoadAsync(hits.Select(h => h.Id), seen, ct);
        return hits.Where(h => papers.ContainsKey(h.Id)).Select(h => new SearchItem(papers[h.Id], h.Score, null, null)).ToList();
    }

    /// <summary>
    /// The nearest vectors of papers readers may see: the in-memory index holds every paper, hidden ones too (a
    /// restored paper is found at once), so it is read as deep as there are hidden papers and those are dropped.
    /// </summary>
    async Task<IReadOnlyList<VectorHit>> VisibleAsync(float[] vector, int count, string? exclude, Web.DataVersion.Stamp? seen, CancellationToken ct)
    {
        var hidden = await rows.HiddenAsync(db, seen, ct);
        return index.Search(vector, count + hidden.Count, exclude).Where(h => !hidden.Contains(h.Id)).Take(count).ToList();
    }

    Task<Dictionary<string, Paper>> LoadAsync(IEnumerable<string> ids, Web.DataVersion.Stamp? seen, CancellationToken ct) => rows.PapersAsync(db, [.. ids], seen, ct);
}
