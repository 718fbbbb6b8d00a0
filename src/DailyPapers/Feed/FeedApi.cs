using DailyPapers.Data;
using DailyPapers.Feeds;
using DailyPapers.Papers;
using DailyPapers.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DailyPapers.Feed;

/// <summary>The daily / weekly / monthly list as a page, as JSON (Hugging Face's shape) and as RSS and Atom.</summary>
public static class FeedApi
{
    public static void MapFeed(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/daily_papers", GetJson).WithTags("Daily papers")
            .WithSummary("Featured papers of a day, week (Friday to Thursday) or month; the latest day by default.")
            .WithDescription("A Link rel=\"next\" header points to the next page, X-Total-Count gives the size of the whole list.")
            .Query(FeedRequest.Parameters).Produces<ApiDailyEntry[]>().Fails(400);
        app.MapGet("/", GetPage).ExcludeFromDescription();
        app.MapGet("/papers", GetPage).ExcludeFromDescription();
        app.MapGet("/papers.rss", (HttpContext c, AppDb db) => GetSyndication(c, db, atom: false)).WithTags("Feeds")
            .WithSummary("RSS 2.0 of the same list as /api/daily_papers, same query parameters.");
        app.MapGet("/papers.atom", (HttpContext c, AppDb db) => GetSyndication(c, db, atom: true)).WithTags("Feeds")
            .WithSummary("Atom 1.0 of the same list as /api/daily_papers, same query parameters.");
    }

    static async Task<IResult> GetJson(HttpContext context, AppDb db, CancellationToken ct)
    {
        if (!FeedRequest.TryRead(context.Request.Query, out var request, out var error)) return Http.Error(400, error);
        var result = await FeedQuery.DailyPapersAsync(db, request, ct);
        if (result is null) return Results.Json(Array.Empty<ApiDailyEntry>());
        context.Response.Headers["X-Total-Count"] = result.Total.ToString();
        if (result.HasMore)
        {
            var next = Http.With(context.Request, (result.Period.Parameter, result.Period.Label), ("p", (request.Page + 1).ToString()));
            context.Response.Headers.Link = $"<{Http.BaseUrl(context)}{next}>; rel=\"next\"";
        }
        return Results.Json(result.Items.Select(ApiDailyEntry.From));
    }

    static async Task<IResult> GetPage(HttpContext context, AppDb db, CancellationToken ct)
    {
        if (!FeedRequest.TryRead(context.Request.Query, out var request, out var error))
            return Pages.Error(400, "Bad request", error);
        var result = await FeedQuery.DailyPapersAsync(db, request, ct);
        return new RazorComponentResult<FeedPage>(new { Model = result, Back = context.Request.Path + context.Request.QueryString });
    }

    static async Task<IResult> GetSyndication(HttpContext context, AppDb db, bool atom)
    {
        if (!FeedRequest.TryRead(context.Request.Query, out var request, out var error))
            return Http.Error(400, error);
        var result = await FeedQuery.DailyPapersAsync(db, request, context.RequestAborted);
        var baseUrl = Http.BaseUrl(context);
        var title = result is null ? "Daily Papers" : $"Daily Papers: {result.Period.Title}";
        var page = baseUrl + (result is null ? "/papers" : $"/papers?{result.Period.Query}");
        var self = baseUrl + context.Request.Path + context.Request.QueryString;
        // Dated by the day the paper was featured: that is when it entered this list.
        var items = result?.Items.Select(i => new SyndicationItem(i.Paper,
            i.Entry.Date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc))).ToList() ?? [];
        return FeedWriter.Result(atom, title, page, self, items, baseUrl);
    }
}
