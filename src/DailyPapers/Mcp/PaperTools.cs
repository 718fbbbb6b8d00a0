using System.ComponentModel;
using DailyPapers.Data;
using DailyPapers.Feed;
using DailyPapers.Papers;
using DailyPapers.Search;
using DailyPapers.Votes;
using DailyPapers.Web;
using Microsoft.Extensions.Primitives;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace DailyPapers.Mcp;

/// <summary>
/// The read tools of /mcp. Each reads its arguments with the same reader as the API route it mirrors (FeedRequest,
/// TrendingRequest, SearchRequest, ArxivId), runs the same named query, and answers the API's shapes, so an agent
/// and a script see the same hub. A bad argument is a tool error carrying the API's 400 message.
/// </summary>
[McpServerToolType]
public sealed class PaperTools(AppDb db, IHttpContextAccessor http, SearchRows rows)
{
    [McpServerTool(Name = "daily_papers", ReadOnly = true, OpenWorld = false)]
    [Description("Featured papers of a day, a week (Friday to Thursday) or a month, as /api/daily_papers answers them; the latest day when none is given. Give at most one of date, week, month.")]
    public async Task<IEnumerable<ApiDailyEntry>> DailyPapers(
        [Description("a day, YYYY-MM-DD")] string? date = null,
        [Description("a week, YYYY-Www (2026-W34)")] string? week = null,
        [Description("a month, YYYY-MM")] string? month = null,
        [Description("upvotes (default), trending or publishedAt")] string? sort = null,
        [Description("page, from 0")] int? page = null,
        [Description("papers per page, 1-100 (default 50)")] int? limit = null,
        CancellationToken ct = default)
    {
        var query = Query(("date", date), ("week", week), ("month", month), ("sort", sort), ("p", page?.ToString()), ("limit", limit?.ToString()));
        if (!FeedRequest.TryRead(query, out var request, out var error)) throw new McpException(error);
        var result = await FeedQuery.DailyPapersAsync(db, request, ct);
        return result?.Items.Select(ApiDailyEntry.From) ?? [];
    }

    [McpServerTool(Name = "trending", ReadOnly = true, OpenWorld = false)]
    [Description("Papers by trending score (upvotes and comments, decaying with age), as /api/trending answers them.")]
    public async Task<IEnumerable<TrendingApi.ApiTrending>> Trending(
        [Description("all (default), today, week or month: papers featured in that window")] string? window = null,
        [Description("papers, 1-100 (default 30)")] int? limit = null,
        [Description("page, from 0")] int? page = null,
        CancellationToken ct = default)
    {
        var query = Query(("window", window), ("limit", limit?.ToString()), ("p", page?.ToString()));
        if (!TrendingRequest.TryRead(query, out var request, out var error)) throw new McpException(error);
        var (items, _) = await TrendingQuery.TopAsync(db, request, ct);
        return items.Select(i => new TrendingApi.ApiTrending(ApiPaper.From(i.Paper), i.Paper.Trending));
    }

    [McpServerTool(Name = "search_papers", ReadOnly = true, OpenWorld = false)]
    [Description("Search papers by keywords and meaning, best first, as /api/papers/search answers. Query syntax: words, \"phrases\", -excluded, title:word, author:\"First Last\", cat:cs.CV, word*.")]
    public async Task<IEnumerable<ApiSearchHit>> SearchPapers(SearchService search,
        [Description("the query, at most 250 characters")] string q,
        [Description("keyword (the default), semantic or hybrid")] string? mode = null,
        [Description("results, 1-120 (default 20)")] int? limit = null,
        [Description("published on or after, YYYY-MM-DD")] string? from = null,
        [Description("published on or before, YYYY-MM-DD")] string? to = null,
        [Description("an arXiv category (cs.LG) or archive (cs)")] string? category = null,
        [Description("only papers with (true) or without (false) a code repository")] bool? hasCode = null,
        CancellationToken ct = default)
    {
        var query = Query(("q", q), ("mode", mode), ("limit", limit?.ToString()), ("from", from), ("to", to), ("category", category),
            ("has_code", hasCode?.ToString()));
        if (!SearchRequest.TryRead(query, out var request, out var error)) throw new McpException(error);
        var result = await search.SearchAsync(request, ct: ct);
        return await SearchApi.HitsAsync(db, rows, result.Items, result.Version, ct);
    }

    [McpServerTool(Name = "get_paper", ReadOnly = true, OpenWorld = false)]
    [Description("One paper as Markdown (title, authors, dates, links, abstract), the same text as /papers/{id}.md.")]
    public async Task<string> GetPaper([Description("an arXiv id: 2405.15738 or math/0601001, with or without vN")] string id, CancellationToken ct = default)
    {
        var context = Context();
        var paper = await PapersApi.FindAsync(Key(id), context, db, ct) ?? throw new McpException($"no paper {Key(id)}");
        var featured = await PapersApi.FeaturedAsync(paper, context, db, ct);
        return PaperMarkdown.Render(paper, featured, Http.BaseUrl(context));
    }

    [McpServerTool(Name = "similar_papers", ReadOnly = true, OpenWorld = false)]
    [Description("The papers most similar to one (by embeddings, keywords when there are none), with scores, as /api/papers/{id}/similar answers.")]
    public async Task<IEnumerable<ApiSearchHit>> SimilarPapers(SearchService search,
        [Description("an arXiv id")] string id,
        [Description("papers, 1-50 (default 8)")] int? limit = null,
        CancellationToken ct = default)
    {
        if (!FeedRequest.TryInt(Query(("limit", limit?.ToString())), "limit", 1, 50, 8, out var n, out var error)) throw new McpException(error);
        var paper = await PapersApi.FindAsync(Key(id), Context(), db, ct) ?? throw new McpException($"no paper {Key(id)}");
        var similar = await search.SimilarAsync(paper, n, ct);
        return await SearchApi.HitsAsync(db, rows, similar, rows.Version(), ct);
    }

    HttpContext Context() => http.HttpContext ?? throw new InvalidOperationException("MCP tools run inside an HTTP request");

    /// <summary>An id through the one ArxivId rule, as every route reads it.</summary>
    internal static PaperKey Key(string? id) =>
        ArxivId.TryParse(id?.Trim(), out var key, out var version) ? new PaperKey(key, version) : throw new McpException(ArxivId.NotAnId(id));

    /// <summary>Tool arguments as the query string the API's readers take; absent ones are left out, as in a URL.</summary>
    internal static IQueryCollection Query(params (string Key, string? Value)[] values) =>
        new QueryCollection(values.Where(v => v.Value is not null).ToDictionary(v => v.Key, v => new StringValues(v.Value)));
}
