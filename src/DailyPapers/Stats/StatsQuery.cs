using DailyPapers.Data;
using DailyPapers.Digest;
using DailyPapers.Papers;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Stats;

/// <summary>
/// The numbers of each chart on /stats, one named query per chart: the page draws what it returns and
/// /api/stats/charts/{name} answers it as JSON. Papers are read through db.Papers and db.DailyEntries, so what
/// moderators hid is counted nowhere. A window that ends at the latest data costs one more statement, to find
/// it; migration 0009 indexes what these read, so none of them reads the papers' rows (abstracts, authors) whole.
/// </summary>
public static class StatsQuery
{
    public const int Days = 90;

    /// <summary>
    /// The 90 days up to the latest day with papers, not up to today: a hub loaded from an archive still has a chart,
    /// and each bar is one day of the daily list.
    /// </summary>
    public static async Task<PapersPerDay> PapersPerDayAsync(AppDb db, CancellationToken ct = default)
    {
        // The 90 latest days with papers always include every day of the 90-day window: one statement, on the key's index.
        var recent = await db.DailyEntries.GroupBy(e => e.Date).OrderByDescending(g => g.Key).Take(Days)
            .Select(g => new DayCount(g.Key, g.Count())).ToListAsync(ct);
        if (recent.Count == 0) return new PapersPerDay(null, null, []);
        var to = recent[0].Date;
        var from = to.AddDays(1 - Days);
        return new PapersPerDay(from, to, recent.Where(d => d.Date >= from).OrderBy(d => d.Date).ToList());
    }

    /// <summary>Every paper by Paper.Counts.Upvotes, computed here in SQL as the same sum: imported plus cast here.</summary>
    public static async Task<UpvoteHistogram> UpvotesAsync(AppDb db, CancellationToken ct = default)
    {
        var counts = await db.Papers.GroupBy(p => p.ImportedUpvotes + p.LocalUpvotes)
            .Select(g => new { Upvotes = g.Key, Papers = g.Count() }).ToListAsync(ct);
        return UpvoteHistogram.From(counts.Select(c => (c.Upvotes, c.Papers)));
    }

    /// <summary>
    /// Categories of the papers published in the 12 months up to the latest such paper with categories. A paper
    /// counts once in each category it lists (as a category filter finds it); Hugging Face's papers carry none.
    /// </summary>
    public static async Task<MonthlyTop> CategoriesAsync(AppDb db, CancellationToken ct = default)
    {
        var (with, all) = await ArxivCategory.CoverageAsync(db, ct);
        var coverage = new Coverage(with, all);
        var carrying = db.Papers.Where(p => p.Categories != null && p.Categories != "" && p.PublishedAt != null);
        if (await LatestAsync(carrying, ct) is not { } latest) return MonthlyTop.Empty with { Coverage = coverage };
        var start = MonthlyTop.WindowStart(latest);
        // Grouped by the whole category list, which papers share (cs.LG stat.ML), then split here.
        var rows = await carrying.Where(p => p.PublishedAt >= start)
            .GroupBy(p => new { p.PublishedAt!.Value.Year, p.PublishedAt.Value.Month, p.Categories })
            .Select(g => new { g.Key.Year, g.Key.Month, g.Key.Categories, Papers = g.Count() }).ToListAsync(ct);
        var cells = rows.SelectMany(r => r.Categories!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct()
            .Select(c => new MonthCell(r.Year, r.Month, c, r.Papers))).ToList();
        return MonthlyTop.Of(latest, cells) with { Coverage = coverage };
    }

    /// <summary>
    /// Keywords (Hugging Face's ai_keywords) of the papers published in the 12 months up to the latest such paper
    /// with keywords. Spellings that differ only in case count as one keyword (large language models, Large Language
    /// Models), shown in the spelling most papers use; a paper counts once per keyword.
    /// </summary>
    public static async Task<MonthlyTop> KeywordsAsync(AppDb db, CancellationToken ct = default)
    {
        var tagged = db.Papers.Where(p => p.AiKeywordsJson != null && p.PublishedAt != null);
        if (await LatestAsync(tagged, ct) is not { } latest) return MonthlyTop.Empty;
        var start = MonthlyTop.WindowStart(latest);
        // Counted here, not grouped in SQL: json_each and GROUP BY over the 34k keywords of 3,110 papers took 200 ms
        // in SQLite; reading those arrays (through the papers_keywords index) and counting them here takes a few.
        var rows = await tagged.Where(p => p.PublishedAt >= start).Select(p => new { p.PublishedAt, p.AiKeywordsJson }).ToListAsync(ct);
        var cells = rows.SelectMany(r => Distinct(PaperView.Keywords(r.AiKeywordsJson)).Select(k => new MonthCell(r.PublishedAt!.Value.Year, r.PublishedAt.Value.Month, k, 1)))
            .ToList();
        return MonthlyTop.Of(latest, cells);
    }

    /// <summary>A paper's keywords, trimmed, each once whatever its capitals (its first spelling of it).</summary>
    static IEnumerable<string> Distinct(IEnumerable<string> keywords) =>
        keywords.Select(k => k.Trim()).Where(k => k.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The latest publication date among some papers. ORDER BY … LIMIT 1 walks the papers_stats or papers_keywords
    /// index from its end; MAX() under a filter would read all of it.
    /// </summary>
    static Task<DateTime?> LatestAsync(IQueryable<Paper> papers, CancellationToken ct) =>
        papers.OrderByDescending(p => p.PublishedAt).Select(p => p.PublishedAt).FirstOrDefaultAsync(ct);

    /// <summary>
    /// Digests per day over the 30 days up to today (UTC), by when they were settled: a sent one on the day the
    /// server took it, a failed one on the day of its last attempt. Unlike the paper charts this window follows the
    /// clock: a hub that stopped sending should show an empty month, not its last good one.
    /// </summary>
    public static async Task<Deliveries> DeliveriesAsync(AppDb db, TimeProvider clock, CancellationToken ct = default)
    {
        var to = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var from = to.AddDays(1 - Deliveries.DayCount);
        var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var rows = await db.Outbox
            .Where(m => m.Kind == "digest" && (m.Status == OutboxStatus.Sent || m.Status == OutboxStatus.Failed))
            .Select(m => new { m.Status, At = m.SentAt ?? m.ClaimedAt ?? m.CreatedAt })
            .Where(m => m.At >= start)
            .GroupBy(m => new { Day = DateOnly.FromDateTime(m.At), m.Status })
            .Select(g => new { g.Key.Day, g.Key.Status, Count = g.Count() }).ToListAsync(ct);
        var days = rows.Where(r => r.Day <= to).GroupBy(r => r.Day).OrderBy(g => g.Key)
            .Select(g => new DeliveryDay(g.Key, g.Where(r => r.Status == OutboxStatus.Sent).Sum(r => r.Count), g.Where(r => r.Status == OutboxStatus.Failed).Sum(r => r.Count)))
            .ToList();
        return new Deliveries(from, to, days);
    }
}
