using DailyPapers.Data;

using DailyPapers.Web;

namespace DailyPapers.Stats;

/// <summary>
/// /stats, the hub in charts, and each chart's numbers as JSON: the page and its JSON call the same StatsQuery
/// method, so the JSON is exactly what the bars show. /api/stats (PapersApi) keeps its own shape for scripts.
/// </summary>
public static class StatsApi
{
    public static void MapStats(this IEndpointRouteBuilder app)
    {
        app.MapGet("/stats", Page).ExcludeFromDescription().Shared();
        // One literal route per chart rather than {name}: each has its own summary in /openapi, and an unknown name
        // is the usual 404 of an unknown address.
        Chart(app, "papers-per-day", "Papers featured per day, the 90 days up to the latest day with papers: {from, to, days: [{date, papers}]}.",
            (db, _, ct) => StatsQuery.PapersPerDayAsync(db, ct));
        Chart(app, "upvotes", "Papers by upvotes (imported plus cast here), in buckets 0, 1–4, 5–9, 10–24, 25–49, 50–99, 100+: {buckets: [{label, min, max, papers}]}.",
            (db, _, ct) => StatsQuery.UpvotesAsync(db, ct));
        Chart(app, "categories", "The 10 arXiv categories most carried by papers published in the last 12 months with categories, by month, and how many papers carry categories at all.",
            (db, _, ct) => StatsQuery.CategoriesAsync(db, ct));
        Chart(app, "keywords", "The 10 keywords most carried by papers published in the last 12 months with keywords, by month.",
            (db, _, ct) => StatsQuery.KeywordsAsync(db, ct));
        Chart(app, "deliveries", "Digests sent and failed per day (UTC) over the last 30 days: {from, to, days: [{date, sent, failed}]}.",
            (db, clock, ct) => StatsQuery.DeliveriesAsync(db, clock, ct));
    }

    static void Chart<T>(IEndpointRouteBuilder app, string name, string summary, Func<AppDb, TimeProvider, CancellationToken, Task<T>> query) =>
        app.MapGet($"/api/stats/charts/{name}", async (AppDb db, TimeProvider clock, CancellationToken ct) => Results.Json(await query(db, clock, ct)))
            .WithTags("Hub").WithSummary(summary).Produces<T>().Shared();

    static async Task<IResult> Page(AppDb db, TimeProvider clock, CancellationToken ct) =>
        new Web.HtmlPage<StatsPage>(new
        {
            PerDay = await StatsQuery.PapersPerDayAsync(db, ct),
            Upvotes = await StatsQuery.UpvotesAsync(db, ct),
            Categories = await StatsQuery.CategoriesAsync(db, ct),
            Keywords = await StatsQuery.KeywordsAsync(db, ct),
            Deliveries = await StatsQuery.DeliveriesAsync(db, clock, ct),
        });
}
