using DailyPapers.Data;
using DailyPapers.Feed;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Discovery;

/// <summary>
/// A calendar row: one Friday-to-Thursday week (Period.WeekOf), its seven days in order, null where a day belongs to
/// another month. Link is false when the week has no papers. (The first and last weeks of 1991 to 9998 reach beyond
/// those years, yet their labels still read back: a test holds this.)
/// </summary>
public sealed record CalendarWeek(Period Week, IReadOnlyList<DateOnly?> Days, bool Link);

public sealed record CalendarMonth(Period Month, IReadOnlyList<CalendarWeek> Weeks, bool HasPapers);

/// <summary>A year of featured days: papers per day, months of weeks, and the nearest years before and after with papers.</summary>
public sealed record CalendarYear(int Year, IReadOnlyList<CalendarMonth> Months, IReadOnlyDictionary<DateOnly, int> Papers, int? Previous, int? Next)
{
    public int Days => Papers.Count;
}

public static class Calendar
{
    public static readonly string[] DayNames = ["Fri", "Sat", "Sun", "Mon", "Tue", "Wed", "Thu"];

    /// <summary>The year's featured days (through DailyEntries, so hidden papers count nowhere) and its neighbours.</summary>
    public static async Task<CalendarYear> YearAsync(AppDb db, int year, CancellationToken ct = default)
    {
        var (start, end) = (new DateOnly(year, 1, 1), new DateOnly(year + 1, 1, 1));
        var days = await db.DailyEntries.Where(e => e.Date >= start && e.Date < end).GroupBy(e => e.Date)
            .Select(g => new { Date = g.Key, Papers = g.Count() }).ToDictionaryAsync(d => d.Date, d => d.Papers, ct);
        var before = await db.DailyEntries.Where(e => e.Date < start).MaxAsync(e => (DateOnly?)e.Date, ct);
        var after = await db.DailyEntries.Where(e => e.Date >= end).MinAsync(e => (DateOnly?)e.Date, ct);
        return Build(year, days, before?.Year, after?.Year);
    }

    /// <summary>The calendar of a year from papers per day: a pure function, so its weeks and links are tested directly.</summary>
    public static CalendarYear Build(int year, IReadOnlyDictionary<DateOnly, int> papers, int? previous, int? next)
    {
        var months = Enumerable.Range(1, 12).Select(m => Month(Period.MonthOf(new DateOnly(year, m, 1)), papers)).ToList();
        return new CalendarYear(year, months, papers, previous, next);
    }

    static CalendarMonth Month(Period month, IReadOnlyDictionary<DateOnly, int> papers)
    {
        var weeks = new List<CalendarWeek>();
        for (var week = Period.WeekOf(month.Start); week.Start < month.End; week = Period.WeekOf(week.End))
        {
            var days = Enumerable.Range(0, 7).Select(i => week.Start.AddDays(i)).ToList();
            var inMonth = days.Select(d => d >= month.Start && d < month.End ? d : (DateOnly?)null).ToList();
            weeks.Add(new CalendarWeek(week, inMonth, days.Any(papers.ContainsKey)));
        }
        return new CalendarMonth(month, weeks, weeks.SelectMany(w => w.Days).Any(d => d is { } day && papers.ContainsKey(day)));
    }
}
