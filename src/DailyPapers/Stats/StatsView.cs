using System.Globalization;

namespace DailyPapers.Stats;

/// <summary>One column of a ColumnChart: its slot on the x axis, its label, one value per series (stacked), a link for its row.</summary>
public sealed record ChartColumn(int Slot, string Label, IReadOnlyList<int> Values, string? Href = null);

/// <summary>A label under the x axis, at a slot.</summary>
public sealed record ChartTick(int Slot, string Text);

/// <summary>The charts' numbers turned into columns, axis labels and the sentences that stand in for the pictures.</summary>
public static class StatsView
{
    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Day(DateOnly d) => d.ToString("d MMM yyyy", Invariant);

    static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", Invariant);

    static string N(int n) => n.ToString("N0", Invariant);

    public static string Month(string yyyyMm) =>
        DateOnly.ParseExact(yyyyMm + "-01", "yyyy-MM-dd", Invariant).ToString("MMM yyyy", Invariant);

    public static IReadOnlyList<ChartColumn> Columns(PapersPerDay c) => c.From is not { } from ? []
        : c.Days.Select(d => new ChartColumn(d.Date.DayNumber - from.DayNumber, Iso(d.Date), [d.Papers], $"/papers?date={Iso(d.Date)}")).ToList();

    public static IReadOnlyList<ChartColumn> Columns(UpvoteHistogram c) =>
        c.Buckets.Select((b, i) => new ChartColumn(i, b.Label, [b.Papers])).ToList();

    public static IReadOnlyList<ChartColumn> Columns(Deliveries c) =>
        c.Days.Select(d => new ChartColumn(d.Date.DayNumber - c.From.DayNumber, Iso(d.Date), [d.Sent, d.Failed])).ToList();

    public static IReadOnlyList<ChartTick> Ticks(UpvoteHistogram c) => c.Buckets.Select((b, i) => new ChartTick(i, b.Label)).ToList();

    /// <summary>The 1st and 15th of each month in a window of days: a few labels whatever its length.</summary>
    public static IReadOnlyList<ChartTick> DayTicks(DateOnly from, int days) =>
        Enumerable.Range(0, days).Select(i => (Slot: i, Date: from.AddDays(i))).Where(x => x.Date.Day is 1 or 15)
            .Select(x => new ChartTick(x.Slot, x.Date.ToString("d MMM", Invariant))).ToList();

    public static string Describe(PapersPerDay c)
    {
        var top = c.Days.OrderByDescending(d => d.Papers).ThenBy(d => d.Date).First();
        return $"Bar chart of papers featured per day from {Day(c.From!.Value)} to {Day(c.To!.Value)}: {N(c.Papers)} papers on " +
               $"{N(c.Days.Count)} days with papers, at most {N(top.Papers)} on {Day(top.Date)}.";
    }

    public static string Describe(UpvoteHistogram c) =>
        $"Histogram of {N(c.Papers)} papers by upvotes: " + string.Join("; ", c.Buckets.Select(b => $"{b.Label} upvotes, {N(b.Papers)} papers")) + ".";

    public static string Describe(MonthlyTop c, string what) =>
        $"Small multiples, one row per {what}, of papers by month of publication from {Month(c.From!)} to {Month(c.To!)}: " +
        string.Join("; ", c.Series.Select(s => $"{s.Name}, {N(s.Total)} papers")) + ".";

    public static string Describe(Deliveries c) =>
        $"Stacked bar chart of digests per day from {Day(c.From)} to {Day(c.To)}: {N(c.Sent)} sent and {N(c.Failed)} failed, " +
        $"on {N(c.Days.Count)} days with deliveries.";
}
