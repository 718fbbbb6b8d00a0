using System.Globalization;

namespace DailyPapers.Feed;

public enum PeriodKind { Day, Week, Month }

/// <summary>
/// A span of featured days: one day, a week or a month, as half-open [Start, End).
/// Weeks run Friday to Thursday, as on Hugging Face, and are labelled YYYY-Www after the ISO week that holds their
/// Thursday: so 2026-W34 runs from Friday 2026-08-14 to Thursday 2026-08-20.
/// </summary>
public sealed record Period(PeriodKind Kind, DateOnly Start, DateOnly End)
{
    public string Label => Kind switch
    {
        PeriodKind.Day => Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        PeriodKind.Week => WeekLabel(Start),
        _ => Start.ToString("yyyy-MM", CultureInfo.InvariantCulture),
    };

    /// <summary>The query parameter that names this period: date, week or month.</summary>
    public string Parameter => Kind switch { PeriodKind.Day => "date", PeriodKind.Week => "week", _ => "month" };

    public string Query => $"{Parameter}={Label}";

    public string Title => Kind switch
    {
        PeriodKind.Day => Start.ToString("dddd, d MMMM yyyy", CultureInfo.InvariantCulture),
        PeriodKind.Week => $"Week {Label} ({Start:d MMM} – {End.AddDays(-1):d MMM yyyy})",
        _ => Start.ToString("MMMM yyyy", CultureInfo.InvariantCulture),
    };

    public static Period Day(DateOnly d) => new(PeriodKind.Day, d, d.AddDays(1));

    public static Period WeekOf(DateOnly d)
    {
        var friday = d.AddDays(-(((int)d.DayOfWeek - (int)DayOfWeek.Friday + 7) % 7));
        return new(PeriodKind.Week, friday, friday.AddDays(7));
    }

    public static Period MonthOf(DateOnly d)
    {
        var first = new DateOnly(d.Year, d.Month, 1);
        return new(PeriodKind.Month, first, first.AddMonths(1));
    }

    /// <summary>The period of the same kind that holds a given day.</summary>
    public static Period Of(PeriodKind kind, DateOnly d) => kind switch
    {
        PeriodKind.Day => Day(d),
        PeriodKind.Week => WeekOf(d),
        _ => MonthOf(d),
    };

    public static bool TryParseDate(string s, out DateOnly d) =>
        DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out d);

    public static bool TryParseWeek(string s, out Period week)
    {
        week = Day(default);
        if (s.Length != 8 || s[4] != '-' || s[5] is not ('W' or 'w')) return false;
        if (!int.TryParse(s.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year) ||
            !int.TryParse(s.AsSpan(6, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var number)) return false;
        if (year < 1991 || year > 9998 || number < 1 || number > ISOWeek.GetWeeksInYear(year)) return false;
        var thursday = DateOnly.FromDateTime(ISOWeek.ToDateTime(year, number, DayOfWeek.Thursday));
        week = WeekOf(thursday);
        return true;
    }

    public static bool TryParseMonth(string s, out Period month)
    {
        month = Day(default);
        if (!DateOnly.TryParseExact(s + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            return false;
        month = MonthOf(d);
        return true;
    }

    static string WeekLabel(DateOnly friday)
    {
        var thursday = friday.AddDays(6).ToDateTime(TimeOnly.MinValue);
        return $"{ISOWeek.GetYear(thursday):D4}-W{ISOWeek.GetWeekOfYear(thursday):D2}";
    }
}
