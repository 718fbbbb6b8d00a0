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

    /// <summary>The heading of the period's page and feed, and a digest's subject: "Week of 14 Aug 2026, to Thursday 20 Aug".</summary>
    public string Title => Kind switch
    {
        PeriodKind.Day => Start.ToString("dddd, d MMMM yyyy", CultureInfo.InvariantCulture),
        PeriodKind.Week => $"Week of {Start:d MMM yyyy}, to Thursday {End.AddDays(-1).ToString(End.Year == Start.Year ? "d MMM" : "d MMM yyyy", CultureInfo.InvariantCulture)}",
        _ => Start.ToString("MMMM yyyy", CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// The period as readers name it, for links on pages ("Week of 14 Aug", "20 Aug 2026", "August 2026"). ISO week
    /// codes mean little to most readers, so they stay in URLs and the API (Label) and out of the text.
    /// </summary>
    public string HumanLabel => Kind switch
    {
        PeriodKind.Day => Start.ToString("d MMM yyyy", CultureInfo.InvariantCulture),
        PeriodKind.Week => "Week of " + Start.ToString("d MMM", CultureInfo.InvariantCulture),
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

    /// <summary>
    /// The one range every date input accepts (date, week, month, from, to; on pages, the API, feeds and commands):
    /// arXiv began in 1991, and stopping at 9998 leaves room for the period arithmetic at the end of the calendar.
    /// </summary>
    public static readonly DateOnly MinDate = new(1991, 1, 1);
    public static readonly DateOnly MaxDate = new(9998, 12, 31);

    public static bool TryParseDate(string s, out DateOnly d) =>
        DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out d) && d >= MinDate && d <= MaxDate;

    /// <summary>The one message for a date input that is refused, naming the parameter and the accepted range.</summary>
    public static string DateError(string key, string value) =>
        $"{key} '{Ingest.Text.Clip(value)}' is not a date as YYYY-MM-DD from {MinDate:yyyy-MM-dd} to {MaxDate:yyyy-MM-dd}";

    public static bool TryParseWeek(string s, out Period week)
    {
        week = Day(default);
        if (s.Length != 8 || s[4] != '-' || s[5] is not ('W' or 'w')) return false;
        if (!int.TryParse(s.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year) ||
            !int.TryParse(s.AsSpan(6, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var number)) return false;
        if (year < MinDate.Year || year > MaxDate.Year || number < 1 || number > ISOWeek.GetWeeksInYear(year)) return false;
        var thursday = DateOnly.FromDateTime(ISOWeek.ToDateTime(year, number, DayOfWeek.Thursday));
        week = WeekOf(thursday);
        return true;
    }

    public static bool TryParseMonth(string s, out Period month)
    {
        month = Day(default);
        if (s.Length != 7 || !TryParseDate(s + "-01", out var d)) return false;
        month = MonthOf(d);
        return true;
    }

    static string WeekLabel(DateOnly friday)
    {
        var thursday = friday.AddDays(6).ToDateTime(TimeOnly.MinValue);
        return $"{ISOWeek.GetYear(thursday):D4}-W{ISOWeek.GetWeekOfYear(thursday):D2}";
    }
}
