using DailyPapers.Feed;

namespace DailyPapers.Digest;

/// <summary>
/// Which papers a cadence's digest carries on a given local day. Pure: the day comes in, so the rules are tested
/// with fixed dates. Digests go out in the morning and carry papers of days that are over:
/// daily, every day, yesterday's papers; weekdays, Monday to Friday, the previous weekday's (Monday brings Friday's);
/// weekly, on the weekly day, the Friday-to-Thursday week that ended before it.
/// </summary>
public static class DigestSchedule
{
    public static Period? PeriodFor(string cadence, DateOnly today, DayOfWeek weeklyOn = DayOfWeek.Friday) => cadence switch
    {
        Cadence.Daily => Period.Day(today.AddDays(-1)),
        Cadence.Weekdays when today.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday => null,
        Cadence.Weekdays => Period.Day(today.AddDays(today.DayOfWeek == DayOfWeek.Monday ? -3 : -1)),
        // The latest week that has ended: the one holding the same weekday a week ago.
        Cadence.Weekly when today.DayOfWeek == weeklyOn => Period.WeekOf(today.AddDays(-7)),
        _ => null,
    };

    /// <summary>The period a cadence's digest covers for a date the user names (digest send --date): its day or week.</summary>
    public static Period PeriodOf(string cadence, DateOnly date) => cadence == Cadence.Weekly ? Period.WeekOf(date) : Period.Day(date);

    /// <summary>Has the send time passed on the local day of `now`?</summary>
    public static bool IsDue(DateTimeOffset now, TimeZoneInfo zone, TimeOnly sendAt, out DateOnly localToday)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone);
        localToday = DateOnly.FromDateTime(local.DateTime);
        return TimeOnly.FromDateTime(local.DateTime) >= sendAt;
    }
}
