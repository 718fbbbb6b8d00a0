using DailyPapers.Data;
using DailyPapers.Feeds;
using DailyPapers.Papers;
using DailyPapers.Web;

namespace DailyPapers.Feed;

/// <summary>The daily / weekly / monthly list as a page, as JSON (Hugging Face's shape) and as RSS and Atom.</summary>
public static class FeedApi
{
    public static void MapFeed(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/daily_papers", GetJson).WithTags("Daily papers")
            .WithSummary("Featured papers of a day, week (Friday to Thursday) or month; without one, every featured day, newest first.")
            .WithDescription("Other query parameters are ignored, as on Hugging Face. A Link rel=\"next\" header points to the next page, X-Total-Count gives the size of the whole list.")
            .Query(FeedRequest.Parameters).Produces<ApiDailyEntry[]>().Fails(400).Shared();
        app.MapGet("/", GetPage).ExcludeFromDescription().Shared();
        app.MapGet("/papers", GetPage).ExcludeFromDescription().Shared();
        // Hugging Face's addresses of a period, as people bookmark them, answered by ours.
        app.MapGet("/papers/date/{date}", (string date) => Bookmark("date", date)).ExcludeFromDescription();
        app.MapGet("/papers/week/{week}", (string week) => Bookmark("week", week)).ExcludeFromDescription();
        app.MapGet("/papers/month/{month}", (string month) => Bookmark("month", month)).ExcludeFromDescription();
        app.MapGet("/papers/trending", () => Results.Redirect("/trending", permanent: true)).ExcludeFromDescription();
        app.MapGet("/papers.rss", (HttpContext c, AppDb db) => GetSyndication(c, db, atom: false)).WithTags("Feeds")
            .WithSummary("RSS 2.0 of the same list as /api/daily_papers, same query parameters.").Shared();
        app.MapGet("/papers.atom", (HttpContext c, AppDb db) => GetSyndication(c, db, atom: true)).WithTags("Feeds")
            .WithSummary("Atom 1.0 of the same list as /api/daily_papers, same query parameters.").Shared();
    }

    static async Task<IResult> GetJson(HttpContext context, AppDb db, CancellationToken ct)
    {
        if (!FeedRequest.TryRead(context.Request.Query, out var request, out var error)) return Http.Error(400, error);
        // As Hugging Face: trending ranks every featured paper; without a date the list starts at the newest day.
        if (request.Sort == FeedSort.Trending) return Page(context, await FeedQuery.TrendingAsync(db, request, ct));
        if (request.Period is null) return Page(context, await FeedQuery.NewestAsync(db, request, ct));
        var result = await FeedQuery.DailyPapersAsync(db, request, ct);
        return result is null ? Results.Json(Array.Empty<ApiDailyEntry>())
            : Page(context, new FeedPageResult(result.Items, result.Total, request));
    }

    /// <summary>One page as JSON, with the total and a Link to the next page (the same query, p + 1).</summary>
    static IResult Page(HttpContext context, FeedPageResult page)
    {
        context.Response.Headers["X-Total-Count"] = page.Total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (page.HasMore)
        {
            var next = Http.With(context.Request, ("p", (page.Request.Page + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            context.Response.Headers.Link = $"<{Http.BaseUrl(context)}{next}>; rel=\"next\"";
        }
        return Results.Json(page.Items.Select(ApiDailyEntry.From));
    }

    /// <summary>A permanent redirect to /papers?{key}={value}, or the 400 that page would answer for a bad value.</summary>
    static IResult Bookmark(string key, string value)
    {
        var query = new QueryCollection(new Dictionary<string, Microsoft.Extensions.Primitives.StringValues> { [key] = value });
        if (!FeedRequest.TryRead(query, out var request, out var error)) return Pages.Error(400, "Bad request", error);
        return Results.Redirect($"/papers?{request.Period!.Query}", permanent: true);
    }

    static async Task<IResult> GetPage(HttpContext context, AppDb db, CancellationToken ct)
    {
        if (!FeedRequest.TryRead(context.Request.Query, out var request, out var error))
            return Pages.Error(400, "Bad request", error);
        var result = await FeedQuery.DailyPapersAsync(db, request, ct);
        return new Web.HtmlPage<FeedPage>(new { Model = result, Back = context.Request.Path + context.Request.QueryString });
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
