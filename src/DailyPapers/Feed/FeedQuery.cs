using DailyPapers.Data;
using DailyPapers.Papers;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Feed;

/// <summary>
/// Hugging Face's two orders. PublishedAt (the default, and "upvotes", an older name of ours) is the feed order: a
/// dated period by upvotes, then the place on its day's list; without a date, the newest featured day first.
/// Trending ranks by the stored score (Votes/Trending.cs): on /api/daily_papers across every featured paper.
/// </summary>
public enum FeedSort { PublishedAt, Trending }

public sealed record FeedItem(DailyEntry Entry, Paper Paper);

/// <summary>
/// What a list of featured papers asks for: a period (null = the latest day with papers on pages and feeds, every
/// featured day on the API), order, page and, optionally, the submitter's user name.
/// </summary>
public sealed record FeedRequest(Period? Period, FeedSort Sort, int Page, int Limit, string? Submitter = null)
{
    const int MaxSubmitter = 100;

    public const int MaxLimit = 100;
    public const int DefaultLimit = 50;
    const int MaxPage = 100_000;

    /// <summary>What TryRead reads, for the OpenAPI document.</summary>
    public static readonly Web.ApiQuery[] Parameters =
    [
        new("date", "A day, YYYY-MM-DD (1991-01-01 to 9998-12-31). Give at most one of date, week and month; none: every featured day, newest first."),
        new("week", "A week, YYYY-Www (ISO week number; the list runs Friday to Thursday)."),
        new("month", "A month, YYYY-MM."),
        new("sort", "publishedAt (default: upvotes, then place on the day's list; upvotes is the same) or trending (every featured paper by trending score, the period aside)."),
        new("submitter", "Only papers submitted by this Hugging Face user name or account name here."),
        new("p", "Page, from 0.", Microsoft.OpenApi.JsonSchemaType.Integer),
        new("limit", "Papers per page, 1-100 (default 50).", Microsoft.OpenApi.JsonSchemaType.Integer),
    ];

    /// <summary>Reads date|week|month, sort, p, limit and submitter; on bad input says which parameter and why.</summary>
    public static bool TryRead(IQueryCollection q, out FeedRequest request, out string error)
    {
        request = new(null, FeedSort.PublishedAt, 0, DefaultLimit);
        error = "";
        var given = new[] { "date", "week", "month" }.Where(k => q.ContainsKey(k)).ToList();
        if (given.Count > 1) { error = "give only one of date, week and month"; return false; }
        Period? period = null;
        if (given.Count == 1 && !TryPeriod(given[0], q[given[0]].ToString(), out period, out error)) return false;
        if (!TrySort(q["sort"].ToString(), out var sort, out error)) return false;
        if (!TryInt(q, "p", 0, MaxPage, 0, out var page, out error)) return false;
        if (!TryInt(q, "limit", 1, MaxLimit, DefaultLimit, out var limit, out error)) return false;
        var submitter = q["submitter"].ToString().Trim();
        if (submitter.Length > MaxSubmitter) { error = $"submitter is longer than {MaxSubmitter} characters"; return false; }
        request = new(period, sort, page, limit, submitter.Length == 0 ? null : submitter);
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
        sort = FeedSort.PublishedAt;
        if (value is "" or "publishedAt" or "upvotes") return true;
        if (value == "trending") { sort = FeedSort.Trending; return true; }
        error = $"sort '{Ingest.Text.Clip(value)}' is not one of publishedAt, trending (or upvotes, the same as publishedAt)";
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

/// <summary>One page of a list that is not one period (every featured day, or the trending ranking).</summary>
public sealed record FeedPageResult(IReadOnlyList<FeedItem> Items, int Total, FeedRequest Request)
{
    public bool HasMore => (Request.Page + 1) * Request.Limit < Total;
}

public static class FeedQuery
{
    /// <summary>
    /// The daily / weekly / monthly list. The page, /api/daily_papers and the RSS and Atom feeds all call this.
    /// A paper featured on two days of a week or month is listed on both, as Hugging Face lists it.
    /// </summary>
    public static async Task<FeedResult?> DailyPapersAsync(AppDb db, FeedRequest request, CancellationToken ct = default)
    {
        var period = request.Period ?? (await LatestDateAsync(db, ct) is { } latest ? Period.Day(latest) : null);
        if (period is null) return null;
        var inPeriod = BySubmitter(db, InPeriod(db, period), request.Submitter);
        var total = await inPeriod.CountAsync(ct);
        var items = await Ordered(inPeriod, db, request.Sort)
            .Skip(request.Page * request.Limit).Take(request.Limit).ToListAsync(ct);
        var (previous, next) = await NeighboursAsync(db, period, ct);
        return new FeedResult(period, request, items, total, previous, next);
    }

    /// <summary>
    /// Every featured day at once, as /api/daily_papers answers without a date: the newest day first, each day in
    /// feed order, so p pages back in time.
    /// </summary>
    public static async Task<FeedPageResult> NewestAsync(AppDb db, FeedRequest request, CancellationToken ct = default)
    {
        var entries = BySubmitter(db, db.DailyEntries, request.Submitter);
        var total = await entries.CountAsync(ct);
        var items = await entries.Join(db.Papers, e => e.PaperId, p => p.Id, (e, p) => new { Entry = e, Paper = p })
            .OrderByDescending(x => x.Entry.Date).ThenByDescending(x => x.Paper.ImportedUpvotes + x.Paper.LocalUpvotes)
            .ThenBy(x => x.Entry.Position).ThenBy(x => x.Paper.Id)
            .Skip(request.Page * request.Limit).Take(request.Limit).Select(x => new FeedItem(x.Entry, x.Paper)).ToListAsync(ct);
        return new FeedPageResult(items, total, request);
    }

    /// <summary>
    /// Featured papers by trending score, each once with its latest featured day, whatever their age: Hugging Face's
    /// sort=trending, and the search API's answer to an empty query.
    /// </summary>
    public static async Task<FeedPageResult> TrendingAsync(AppDb db, FeedRequest request, CancellationToken ct = default)
    {
        var entries = BySubmitter(db, db.DailyEntries, request.Submitter);
        var featured = db.Papers.Where(p => entries.Any(e => e.PaperId == p.Id));
        var total = await featured.CountAsync(ct);
        var papers = await featured.OrderByDescending(p => p.Trending).ThenByDescending(p => p.ImportedUpvotes + p.LocalUpvotes)
            .ThenBy(p => p.Id).Skip(request.Page * request.Limit).Take(request.Limit).AsNoTracking().ToListAsync(ct);
        var ids = papers.Select(p => p.Id).ToList();
        var latest = (await entries.Where(e => ids.Contains(e.PaperId)).AsNoTracking().ToListAsync(ct))
            .GroupBy(e => e.PaperId).ToDictionary(g => g.Key, g => g.MaxBy(e => e.Date)!);
        return new FeedPageResult(papers.Select(p => new FeedItem(latest[p.Id], p)).ToList(), total, request);
    }

    public static async Task<DateOnly?> LatestDateAsync(AppDb db, CancellationToken ct = default) =>
        await db.DailyEntries.MaxAsync(e => (DateOnly?)e.Date, ct);

    static IQueryable<DailyEntry> InPeriod(AppDb db, Period period)
    {
        var (start, end) = (period.Start, period.End);
        return db.DailyEntries.Where(e => e.Date >= start && e.Date < end);
    }

    /// <summary>
    /// Entries put on the list by one person: the Hugging Face user name in submittedBy, or the name of the account
    /// that submitted it here (looked up now, so a renamed account still finds its submissions).
    /// </summary>
    static IQueryable<DailyEntry> BySubmitter(AppDb db, IQueryable<DailyEntry> entries, string? name) => name is null ? entries
        : entries.Where(e => e.Submitter == name || db.Submissions.Any(s => s.PaperId == e.PaperId && s.Date == e.Date
            && db.Users.Any(u => u.Id == s.UserId && u.Name == name)));

    static IQueryable<FeedItem> Ordered(IQueryable<DailyEntry> entries, AppDb db, FeedSort sort)
    {
        var joined = entries.Join(db.Papers, e => e.PaperId, p => p.Id, (e, p) => new { Entry = e, Paper = p });
        var ordered = sort switch
        {
            // The stored score of Votes/Trending.cs: votes and comments, decayed by the time since featured.
            // Upvotes as PaperCounts.Upvotes computes them, here in SQL.
            FeedSort.Trending => joined.OrderByDescending(x => x.Paper.Trending).ThenByDescending(x => x.Paper.ImportedUpvotes + x.Paper.LocalUpvotes)
                .ThenBy(x => x.Entry.Position).ThenBy(x => x.Paper.Id),
            // As on Hugging Face's daily page: upvotes, imported and cast here, then the place on the day's list.
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
