using System.Net;
using DailyPapers.Data;
using DailyPapers.Feeds;
using DailyPapers.Papers;
using DailyPapers.Web;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Search;

/// <summary>Search as a page, as JSON in Hugging Face's shape, and as feeds (a saved search is a feed); similar papers.</summary>
public static class SearchApi
{
    public static void MapSearch(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/papers/search", GetJson).WithTags("Search")
            .WithSummary("Search papers (no q: the featured papers by trending score, up to limit): q (max 250 chars; \"phrases\", -exclusions, title:, author:, cat:), mode=keyword|semantic|hybrid, limit (1-120, default 20), from, to (YYYY-MM-DD, publication date), category, has_code.")
            .WithDescription("Answers [{paper, numComments, score}] best first. The mode actually used is in the X-Search-Mode header, and X-Search-Notice says why when semantic search was asked for but unavailable.")
            .Query(SearchRequest.Parameters).Produces<ApiSearchHit[]>().Fails(400);
        app.MapPaper("/api/papers", "/similar", (e, route) => e.MapGet(route, GetSimilar))
            .WithTags("Search").WithSummary("Papers most similar to this one (embeddings; keyword fallback), with scores.")
            .Query(new ApiQuery("limit", "Papers, 1-50 (default 8).", Microsoft.OpenApi.JsonSchemaType.Integer)).Produces<ApiSearchHit[]>().Fails(404);
        app.MapGet("/search", GetPage).ExcludeFromDescription();
        app.MapGet("/search.rss", (HttpContext c, SearchService s) => GetFeed(c, s, atom: false)).WithTags("Feeds").WithSummary("RSS of a search, same parameters as /api/papers/search.");
        app.MapGet("/search.atom", (HttpContext c, SearchService s) => GetFeed(c, s, atom: true)).WithTags("Feeds").WithSummary("Atom of a search.");
    }

    static async Task<IResult> GetJson(HttpContext context, SearchService search, AppDb db, SearchRows rows, CancellationToken ct)
    {
        // No query at all is Hugging Face's "what is on the hub now": the featured papers by trending score.
        if (string.IsNullOrWhiteSpace(context.Request.Query["q"])) return await TrendingAsync(context, db, rows, ct);
        if (!SearchRequest.TryRead(context.Request.Query, out var request, out var error)) return Http.Error(400, error);
        var result = await search.SearchAsync(request, ct: ct);
        if (result.HasMore) context.Response.Headers.Link = $"<{Http.BaseUrl(context)}/api/papers/search?{NextPage(context.Request.Query, request.Page)}>; rel=\"next\"";
        context.Response.Headers["X-Search-Mode"] = result.Mode.ToString().ToLowerInvariant();
        if (result.Notice is not null) context.Response.Headers["X-Search-Notice"] = result.Notice;
        return Results.Json(await HitsAsync(db, rows, result.Items, result.Version, ct));
    }

    static async Task<IResult> TrendingAsync(HttpContext context, AppDb db, SearchRows rows, CancellationToken ct)
    {
        if (!Feed.FeedRequest.TryInt(context.Request.Query, "limit", 1, SearchRequest.MaxLimit, SearchRequest.DefaultLimit, out var limit, out var error))
            return Http.Error(400, error);
        var page = await Feed.FeedQuery.TrendingAsync(db, new Feed.FeedRequest(null, Feed.FeedSort.Trending, 0, limit), ct);
        return Results.Json(await HitsAsync(db, rows, [.. page.Items.Select(i => new SearchItem(i.Paper, i.Paper.Trending, null, null))], rows.Version(), ct));
    }

    /// <summary>
    /// Hits in the API's shape, for the API and the MCP tools alike. isAuthorParticipating is Hugging Face's flag for a
    /// paper whose author takes part: here, an approved authorship claim.
    /// </summary>
    /// <param name="seen">The data version the items were read at (SearchResult.Version), or read before this call.</param>
    public static async Task<List<ApiSearchHit>> HitsAsync(AppDb db, SearchRows rows, IReadOnlyList<SearchItem> items, Web.DataVersion.Stamp? seen, CancellationToken ct)
    {
        var authors = await rows.ClaimedAsync(db, seen, ct);
        return [.. items.Select(i => ApiSearchHit.From(i, authors.Contains(i.Paper.Id)))];
    }

    static async Task<IResult> GetSimilar(PaperKey key, HttpContext context, AppDb db, SearchService search, SearchRows rows, CancellationToken ct)
    {
        if (!Feed.FeedRequest.TryInt(context.Request.Query, "limit", 1, 50, 8, out var limit, out var error)) return Http.Error(400, error);
        var paper = await db.Papers.AsNoTracking().FirstOrDefaultAsync(p => p.Id == key.Id, ct);
        if (paper is null) return Http.Error(404, $"no paper {key}");
        var similar = await search.SimilarAsync(paper, limit, ct);
        return Results.Json(await HitsAsync(db, rows, similar, rows.Version(), ct));
    }

    static async Task<IResult> GetPage(HttpContext context, SearchService search, AppDb db, CancellationToken ct)
    {
        // An empty box (the header's search field submitted as is) is the search page itself, not a mistake.
        if (string.IsNullOrWhiteSpace(context.Request.Query["q"])) return new Web.HtmlPage<SearchPage>(new { Result = (SearchResult?)null, Error = (string?)null });
        if (!SearchRequest.TryRead(context.Request.Query, out var request, out var error))
            return new Web.HtmlPage<SearchPage>(new { Result = (SearchResult?)null, Error = error }) { StatusCode = 400 };
        var result = await search.SearchAsync(request, highlights: true, ct);
        var note = request.Filters.Categories.Count > 0 ? ArxivCategory.CoverageNote(await ArxivCategory.CoverageAsync(db, ct)) : null;
        return new Web.HtmlPage<SearchPage>(new { Result = result, Error = (string?)null, CategoryNote = note });
    }

    static async Task<IResult> GetFeed(HttpContext context, SearchService search, bool atom)
    {
        if (!SearchRequest.TryRead(context.Request.Query, out var request, out var error)) return Http.Error(400, error);
        var result = await search.SearchAsync(request, ct: context.RequestAborted);
        var baseUrl = Http.BaseUrl(context);
        var title = $"Papers matching “{context.Request.Query["q"]}”";
        var page = $"{baseUrl}/search{context.Request.QueryString}";
        var self = $"{baseUrl}{context.Request.Path}{context.Request.QueryString}";
        var items = result.Items.Select(i => new SyndicationItem(i.Paper, i.Paper.PublishedAt ?? DateTime.UnixEpoch)).ToList();
        return FeedWriter.Result(atom, title, page, self, items, baseUrl);
    }

    /// <summary>The same query string with p set to the next page.</summary>
    public static string NextPage(IQueryCollection query, int page)
    {
        var args = query.Where(a => a.Key != "p").SelectMany(a => a.Value.Select(v => (a.Key, Value: v ?? "")))
            .Append((Key: "p", Value: (page + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return string.Join('&', args.Select(a => Uri.EscapeDataString(a.Key) + "=" + Uri.EscapeDataString(a.Value)));
    }

    /// <summary>Text with match marks (\u0002…\u0003) as safe HTML with &lt;mark&gt;.</summary>
    public static string Marked(string text) =>
        WebUtility.HtmlEncode(text).Replace("\u0002", "<mark>").Replace("\u0003", "</mark>");
}

/// <summary>
/// A search or similarity hit: Hugging Face's {paper, title, numComments, isAuthorParticipating} plus our score.
/// The title is also at the top because huggingface_hub's PaperInfo reads it only there.
/// </summary>
public sealed record ApiSearchHit(ApiPaper Paper, string Title, int NumComments, bool IsAuthorParticipating, double Score)
{
    public static ApiSearchHit From(SearchItem item, bool authorParticipating = false) =>
        new(ApiPaper.From(item.Paper), item.Paper.DisplayTitle, item.Paper.Counts.Comments, authorParticipating, Math.Round(item.Score, 6));
}
