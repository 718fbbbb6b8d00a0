using DailyPapers.Data;
using DailyPapers.Feeds;
using DailyPapers.Papers;
using DailyPapers.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Votes;

public sealed record TrendingItem(Paper Paper, DateTime? FeaturedAt);

/// <summary>The trending list: one query for the page, the API and the feeds, ordered by the stored score.</summary>
public static class TrendingQuery
{
    public const int DefaultLimit = 30;
    public const int MaxLimit = 100;

    public static async Task<List<TrendingItem>> TopAsync(AppDb db, int limit, CancellationToken ct = default)
    {
        var rows = await db.Papers.AsNoTracking().Where(p => p.Trending > 0).OrderByDescending(p => p.Trending).ThenBy(p => p.Id).Take(limit)
            .Select(p => new { Paper = p, First = db.DailyEntries.Where(e => e.PaperId == p.Id).Min(e => (DateOnly?)e.Date) }).ToListAsync(ct);
        return rows.Select(r => new TrendingItem(r.Paper, TrendingScores.FeaturedAt(r.Paper.SubmittedOnDailyAt, r.First, r.Paper.PublishedAt))).ToList();
    }
}

public static class TrendingApi
{
    public sealed record ApiTrending(ApiPaper Paper, double Trending);

    public static void MapTrending(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/trending", Json).WithTags("Daily papers")
            .WithSummary("Papers by trending score (see /about/trending); limit 1-100, default 30.");
        app.MapGet("/trending", Page).ExcludeFromDescription();
        app.MapGet("/trending.rss", (HttpContext c, AppDb db) => Feed(c, db, false)).WithTags("Feeds").WithSummary("RSS 2.0 of /trending.");
        app.MapGet("/trending.atom", (HttpContext c, AppDb db) => Feed(c, db, true)).WithTags("Feeds").WithSummary("Atom 1.0 of /trending.");
        app.MapGet("/about/trending", () => new RazorComponentResult<AboutTrending>()).ExcludeFromDescription();
    }

    static async Task<IResult> Json(HttpContext context, AppDb db, CancellationToken ct)
    {
        if (!DailyPapers.Feed.FeedRequest.TryInt(context.Request.Query, "limit", 1, TrendingQuery.MaxLimit, TrendingQuery.DefaultLimit, out var limit, out var error))
            return Http.Error(400, error);
        var items = await TrendingQuery.TopAsync(db, limit, ct);
        return Results.Json(items.Select(i => new ApiTrending(ApiPaper.From(i.Paper), i.Paper.Trending)));
    }

    static async Task<IResult> Page(HttpContext context, AppDb db, CancellationToken ct)
    {
        var items = await TrendingQuery.TopAsync(db, TrendingQuery.DefaultLimit, ct);
        return new RazorComponentResult<TrendingPage>(new { Items = items });
    }

    static async Task<IResult> Feed(HttpContext context, AppDb db, bool atom)
    {
        var items = await TrendingQuery.TopAsync(db, TrendingQuery.DefaultLimit, context.RequestAborted);
        var baseUrl = Http.BaseUrl(context);
        var entries = items.Select(i => new SyndicationItem(i.Paper, i.FeaturedAt ?? i.Paper.PublishedAt ?? DateTime.UnixEpoch)).ToList();
        return FeedWriter.Result(atom, "Trending papers", baseUrl + "/trending", baseUrl + context.Request.Path, entries, baseUrl);
    }
}
