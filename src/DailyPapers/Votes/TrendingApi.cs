using DailyPapers.Data;
using DailyPapers.Feed;
using DailyPapers.Feeds;
using DailyPapers.Papers;
using DailyPapers.Web;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Votes;

public sealed record TrendingItem(Paper Paper, DateTime? FeaturedAt);

public enum TrendingWindow { All, Today, Week, Month }

/// <summary>What a trending list asks for: a window (papers featured in the last day, week or month of the hub), a page.</summary>
public sealed record TrendingRequest(TrendingWindow Window, int Page, int Limit)
{
    /// <summary>What TryRead reads, for the OpenAPI document.</summary>
    public static readonly Web.ApiQuery[] Parameters =
    [
        new("window", "all (default), today, week or month: papers featured in the hub's last day, 7 days or 30 days."),
        new("p", "Page, from 0.", Microsoft.OpenApi.JsonSchemaType.Integer),
        new("limit", "Papers, 1-100 (default 30).", Microsoft.OpenApi.JsonSchemaType.Integer),
    ];

    public static bool TryRead(IQueryCollection q, out TrendingRequest request, out string error)
    {
        request = new(TrendingWindow.All, 0, TrendingQuery.DefaultLimit);
        if (!Feed.FeedRequest.TryInt(q, "limit", 1, TrendingQuery.MaxLimit, TrendingQuery.DefaultLimit, out var limit, out error)) return false;
        if (!Feed.FeedRequest.TryInt(q, "p", 0, 10_000, 0, out var page, out error)) return false;
        var window = q["window"].ToString() switch { "" or "all" => TrendingWindow.All, "today" => TrendingWindow.Today, "week" => TrendingWindow.Week, "month" => TrendingWindow.Month, _ => (TrendingWindow?)null };
        if (window is null) { error = $"window '{Ingest.Text.Clip(q["window"].ToString())}' is not one of all, today, week, month"; return false; }
        request = new(window.Value, page, limit);
        return true;
    }

    /// <summary>The first featured day the window takes, counted back from the latest day with papers (the hub's "today").</summary>
    public DateOnly? From(DateOnly latest) => Window switch
    {
        TrendingWindow.Today => latest,
        TrendingWindow.Week => latest.AddDays(-6),
        TrendingWindow.Month => latest.AddDays(-29),
        _ => null,
    };
}

/// <summary>The trending list: one query for the page, the API and the feeds, ordered by the stored score.</summary>
public static class TrendingQuery
{
    public const int DefaultLimit = 30;
    public const int MaxLimit = 100;

    public static async Task<List<TrendingItem>> TopAsync(AppDb db, int limit, CancellationToken ct = default) =>
        (await TopAsync(db, new TrendingRequest(TrendingWindow.All, 0, limit), ct)).Items;

    public static async Task<(List<TrendingItem> Items, bool HasMore)> TopAsync(AppDb db, TrendingRequest request, CancellationToken ct = default)
    {
        var from = await FeedQuery.LatestDateAsync(db, ct) is { } latest ? request.From(latest) : null;
        var rows = await db.Papers.AsNoTracking().Where(p => p.Trending > 0 && (from == null || db.DailyEntries.Any(e => e.PaperId == p.Id && e.Date >= from)))
            .OrderByDescending(p => p.Trending).ThenBy(p => p.Id).Skip(request.Page * request.Limit).Take(request.Limit + 1)
            .Select(p => new { Paper = p, First = db.DailyEntries.Where(e => e.PaperId == p.Id).Min(e => (DateOnly?)e.Date) }).ToListAsync(ct);
        var items = rows.Take(request.Limit).Select(r => new TrendingItem(r.Paper, TrendingScores.FeaturedAt(r.Paper.SubmittedOnDailyAt, r.First, r.Paper.PublishedAt))).ToList();
        return (items, rows.Count > request.Limit);
    }
}

public static class TrendingApi
{
    public sealed record ApiTrending(ApiPaper Paper, double Trending);

    public static void MapTrending(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/trending", Json).WithTags("Daily papers")
            .WithSummary("Papers by trending score (see /about/trending).")
            .Query(TrendingRequest.Parameters).Produces<ApiTrending[]>().Fails(400).Shared();
        app.MapGet("/trending", Page).ExcludeFromDescription().Shared();
        app.MapGet("/trending.rss", (HttpContext c, AppDb db) => Feed(c, db, false)).WithTags("Feeds").WithSummary("RSS 2.0 of /trending.").Shared();
        app.MapGet("/trending.atom", (HttpContext c, AppDb db) => Feed(c, db, true)).WithTags("Feeds").WithSummary("Atom 1.0 of /trending.").Shared();
        // Declared IResult: the request delegate generator's code cannot name a Razor component's type (both generators
        // run in the same compilation), so a handler typed HtmlPage<T> would not build.
        app.MapGet("/about/trending", IResult () => new Web.HtmlPage<AboutTrending>()).ExcludeFromDescription().Shared();
    }

    static async Task<IResult> Json(HttpContext context, AppDb db, CancellationToken ct)
    {
        if (!TrendingRequest.TryRead(context.Request.Query, out var request, out var error)) return Http.Error(400, error);
        var (items, _) = await TrendingQuery.TopAsync(db, request, ct);
        return Results.Json(items.Select(i => new ApiTrending(ApiPaper.From(i.Paper), i.Paper.Trending)));
    }

    static async Task<IResult> Page(HttpContext context, AppDb db, TimeProvider clock, CancellationToken ct)
    {
        if (!TrendingRequest.TryRead(context.Request.Query, out var request, out var error)) return Pages.Error(400, error);
        var (items, more) = await TrendingQuery.TopAsync(db, request, ct);
        return new Web.HtmlPage<TrendingPage>(new { Items = items, Request = request, HasMore = more, Now = clock.GetUtcNow().UtcDateTime });
    }

    static async Task<IResult> Feed(HttpContext context, AppDb db, bool atom)
    {
        var items = await TrendingQuery.TopAsync(db, TrendingQuery.DefaultLimit, context.RequestAborted);
        var baseUrl = Http.BaseUrl(context);
        var entries = items.Select(i => new SyndicationItem(i.Paper, i.FeaturedAt ?? i.Paper.PublishedAt ?? DateTime.UnixEpoch)).ToList();
        return FeedWriter.Result(atom, "Trending papers", baseUrl + "/trending", baseUrl + context.Request.Path, entries, baseUrl);
    }
}
