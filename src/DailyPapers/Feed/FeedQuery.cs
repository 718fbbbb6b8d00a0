using DailyPapers.Data;
using DailyPapers.Papers;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Feed;

public enum FeedSort { Upvotes, Trending, PublishedAt }

public sealed record FeedItem(DailyEntry Entry, Paper Paper);

/// <summary>What a list of featured papers asks for: a period (null = the latest day with papers), order and page.</summary>
public sealed record FeedRequest(Period? Period, FeedSort Sort, int Page, int Limit)
{
    public const int MaxLimit = 100;
    public const int DefaultLimit = 50;
    const int MaxPage = 100_000;

    /// <summary>What TryRead reads, for the OpenAPI document.</summary>
    public static readonly Web.ApiQuery[] Parameters =
    [
        new("date", "A day, YYYY-MM-DD (1991-01-01 to 9998-12-31). Give at most one of date, week and month; none: the latest day with papers."),
        new("week", "A week, YYYY-Www (ISO week number; the list runs Friday to Thursday)."),
        new("month", "A month, YYYY-MM."),
        new("sort", "upvotes (default, as on Hugging Face), trending or publishedAt."),
        new("p", "Page, from 0.", Microsoft.OpenApi.JsonSchemaType.Integer),
        new("limit", "Papers per page, 1-100 (default 50).", Microsoft.OpenApi.JsonSchemaType.Integer),
    ];

    /// <summary>Reads date|week|month, sort, p and limit; on bad input says which parameter and why.</summary>
    public static bool TryRead(IQueryCollection q, out FeedRequest request, out string error)
    {
        request = new(null, FeedSort.Upvotes, 0, DefaultLimit);
        error = "";
        var given = new[] { "date", "week", "month" }.Where(k => q.ContainsKey(k)).ToList();
        if (given.Count > 1) { error = "give only one of date, week and month"; return false; }
        Period? period = null;
        if (given.Count == 1 && !TryPeriod(given[0], q[given[0]].ToString(), out period, out error)) return false;
        if (!TrySort(q["sort"].ToString(), out var sort, out error)) return false;
        if (!TryInt(q, "p", 0, MaxPage, 0, out var page, out error)) return false;
        if (!TryInt(q, "limit", 1, MaxLimit, DefaultLimit, out var limit, out error)) return false;
        request = new(period, sort, page, limit);
        return true;
    }

    static bool TryPeriod(string key, string value, out Period? period, out string error)
    {
        period = null;
        error = "";
        switch (key)
        {
            case "date" when Period.TryParseDate(value, out var d): period = Period.Day(d); return true;
            case "week" when Period.TryParseWeek(value, out var w): period = w; return true;
            case "month" when Period.TryParseMonth(value, out var m): period = m; return true;
        }
        error = key switch
        {
            "date" => Period.DateError("date", value),
            "week" => $"week '{Ingest.Text.Clip(value)}' is not a week as YYYY-Www (W01 to W52 or W53) from {Period.MinDate.Year} to {Period.MaxDate.Year}",
            _ => $"month '{Ingest.Text.Clip(value)}' is not a month as YYYY-MM from {Period.MinDate:yyyy-MM} to {Period.MaxDate:yyyy-MM}",
        };
        return false;
    }

    static bool TrySort(string value, out FeedSort sort, out string error)
    {
        error = "";
        sort = FeedSort.Upvotes;
        if (value is "" or "upvotes") return true;
        if (value == "trending") { sort = FeedSort.Trending; return true; }
        if (value == "publishedAt") { sort = FeedSort.PublishedAt; return true; }
        error = $"sort '{Ingest.Text.Clip(value)}' is not one of upvotes, trending, publishedAt";
        return false;
    }

    public static bool TryInt(IQueryCollection q, string key, int min, int max, int fallback, out int value, out string error)
    {
        error = "";
        value = fallback;
        var s = q[key].ToString();
        if (s.Length == 0) return true;
        if (int.TryParse(s, System.Globalization.NumberStyles.None, null, out value) && value >= min && value <= max) return true;
        error = $"{key} '{Ingest.Text.Clip(s)}' must be a whole number from {min} to {max}";
        return false;
    }
}

/// <summary>One page of a list, with the neighbouring periods that have papers.</summary>
public sealed record FeedResult(Period Period, FeedRequest Request, IReadOnlyList<FeedItem> Items, int Total, Period? Previous, Period? Next)
{
    public bool HasMore => (Request.Page + 1) * Request.Limit < Total;
}

public static class FeedQuery
{
    /// <summary>
    /// The daily / weekly / monthly list. The page, /api/daily_papers and the RSS and Atom feeds all call this.
    /// A paper featured twice in a period is listed once, on its first day there.
    /// </summary>
    public static async Task<FeedResult?> DailyPapersAsync(AppDb db, FeedRequest request, CancellationToken ct = default)
    {
        var period = request.Period ?? (await LatestDateAsync(db, ct) is { } latest ? Period.Day(latest) : null);
        if (period is null) return null;
        var inPeriod = InPeriod(db, period);
        var total = await inPeriod.CountAsync(ct);
        var items = await Ordered(inPeriod, db, request.Sort)
            .Skip(request.Page * request.Limit).Take(request.Limit).ToListAsync(ct);
        var (previous, next) = await NeighboursAsync(db, period, ct);
        return new FeedResult(period, request, items, total, previous, next);
    }

    public static async Task<DateOnly?> LatestDateAsync(AppDb db, CancellationToken ct = default) =>
        await db.DailyEntries.MaxAsync(e => (DateOnly?)e.Date, ct);

    static IQueryable<DailyEntry> InPeriod(AppDb db, Period period)
    {
        var (start, end) = (period.Start, period.End);
        return db.DailyEntries.Where(e => e.Date >= start && e.Date < end &&
            !db.DailyEntries.Any(o => o.PaperId == e.PaperId && o.Date >= start && o.Date < e.Date));
    }

    static IQueryable<FeedItem> Ordered(IQueryable<DailyEntry> entries, AppDb db, FeedSort sort)
    {
        var joined = entries.Join(db.Papers, e => e.PaperId, p => p.Id, (e, p) => new { Entry = e, Paper = p });
        var ordered = sort switch
        {
            FeedSort.PublishedAt => joined.OrderByDescending(x => x.Entry.PublishedAt).ThenBy(x => x.Paper.Id),
            // The stored score of Votes/Trending.cs: votes and comments, decayed by the time since featured.
            // Upvotes as PaperCounts.Upvotes computes them, here in SQL.
            FeedSort.Trending => joined.OrderByDescending(x => x.Paper.Trending).ThenByDescending(x => x.Paper.ImportedUpvotes + x.Paper.LocalUpvotes)
                .ThenBy(x => x.Entry.Position).ThenBy(x => x.Paper.Id),
            // As on Hugging Face's daily page: upvotes, imported and cast here.
            _ => joined.OrderByDescending(x => x.Paper.ImportedUpvotes + x.Paper.LocalUpvotes).ThenByDescending(x => x.Entry.Date)
                .ThenBy(x => x.Entry.Position).ThenBy(x => x.Paper.Id),
        };
        return ordered.Select(x => new FeedItem(x.Entry, x.Paper));
    }

    static async Task<(Period?, Period?)> NeighboursAsync(AppDb db, Period period, CancellationToken ct)
    {
        var (start, end) = (period.Start, period.End);
        var before = await db.DailyEntries.Where(e => e.Date < start).MaxAsync(e => (DateOnly?)e.Date, ct);
        var after = await db.DailyEntries.Where(e => e.Date >= end).MinAsync(e => (DateOnly?)e.Date, ct);
        return (before is { } b ? Period.Of(period.Kind, b) : null, after is { } a ? Period.Of(period.Kind, a) : null);
    }
}
