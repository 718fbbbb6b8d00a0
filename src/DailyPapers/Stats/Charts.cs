using System.Runtime.InteropServices;

namespace DailyPapers.Stats;

/// <summary>Papers featured per day, from the latest day with papers back 90 days; days without papers are gaps.</summary>
public sealed record PapersPerDay(DateOnly? From, DateOnly? To, IReadOnlyList<DayCount> Days)
{
    public int Papers => Days.Sum(d => d.Papers);
}

public sealed record DayCount(DateOnly Date, int Papers);

/// <summary>Papers by their upvotes (Paper.Counts.Upvotes), in buckets that grow roughly tenfold.</summary>
public sealed record UpvoteHistogram(IReadOnlyList<UpvoteBucket> Buckets)
{
    public int Papers => Buckets.Sum(b => b.Papers);

    /// <summary>Lower bounds of the buckets: 0, 1–4, 5–9, 10–24, 25–49, 50–99, 100+.</summary>
    public static readonly int[] Bounds = [0, 1, 5, 10, 25, 50, 100];

    /// <summary>The histogram of (upvotes, papers) pairs, one per distinct upvote count.</summary>
    public static UpvoteHistogram From(IEnumerable<(int Upvotes, int Papers)> counts)
    {
        var papers = new int[Bounds.Length];
        foreach (var (upvotes, n) in counts) papers[BucketOf(upvotes)] += n;
        return new UpvoteHistogram(Bounds.Select((min, i) => Bucket(i, papers[i])).ToList());
    }

    // Upvotes never go below 0; a negative count (corrupt row) still lands in the first bucket rather than throwing.
    public static int BucketOf(int upvotes) => Math.Max(0, Array.FindLastIndex(Bounds, b => upvotes >= b));

    static UpvoteBucket Bucket(int i, int papers)
    {
        int? max = i + 1 < Bounds.Length ? Bounds[i + 1] - 1 : null;
        var label = max is null ? $"{Bounds[i]}+" : max == Bounds[i] ? $"{Bounds[i]}" : $"{Bounds[i]}–{max}";
        return new UpvoteBucket(label, Bounds[i], max, papers);
    }
}

public sealed record UpvoteBucket(string Label, int Min, int? Max, int Papers);

/// <summary>
/// The most frequent names (categories, keywords) among papers published in the last 12 months with any, by month:
/// Counts[i] is the number of papers of Months[i] that carry the name. Names equal but for case (ordinal) are one,
/// shown in the spelling most papers use.
/// </summary>
public sealed record MonthlyTop(IReadOnlyList<string> Months, IReadOnlyList<MonthlySeries> Series)
{
    /// <summary>For categories: how many papers carry any (Hugging Face's carry none), to say beside the chart.</summary>
    public Coverage? Coverage { get; init; }

    public const int MonthCount = 12;
    public const int Top = 10;

    public string? From => Months.Count > 0 ? Months[0] : null;
    public string? To => Months.Count > 0 ? Months[^1] : null;

    public static readonly MonthlyTop Empty = new([], []);

    static readonly StringComparer Names = StringComparer.OrdinalIgnoreCase;

    /// <summary>The first day (UTC) of the window of 12 months that ends with the month of latest.</summary>
    public static DateTime WindowStart(DateTime latest) => new DateTime(latest.Year, latest.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1 - MonthCount);

    /// <summary>
    /// The top names of the window ending with latest's month, from cells of papers per (month, spelling): the caller
    /// gives each paper's names once. Two passes, because tens of thousands of keywords are mostly used once: totals
    /// for all, months and spellings only for those that can make the top 10.
    /// </summary>
    public static MonthlyTop Of(DateTime latest, IReadOnlyList<MonthCell> cells)
    {
        var start = WindowStart(latest);
        int Index(MonthCell c) => (c.Year - start.Year) * 12 + c.Month - start.Month;
        var inWindow = cells.Where(c => Index(c) is >= 0 and < MonthCount).ToList();
        var totals = new Dictionary<string, int>(Names);
        foreach (var c in inWindow) CollectionsMarshal.GetValueRefOrAddDefault(totals, c.Name, out _) += c.Papers;
        var cut = totals.Values.OrderDescending().ElementAtOrDefault(Top - 1);
        var counts = totals.Where(t => t.Value >= cut).ToDictionary(t => t.Key, _ => new int[MonthCount], Names);
        var spellings = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var c in inWindow.Where(c => counts.ContainsKey(c.Name)))
        {
            counts[c.Name][Index(c)] += c.Papers;
            CollectionsMarshal.GetValueRefOrAddDefault(spellings, c.Name, out _) += c.Papers;
        }
        var series = counts.Select(n => new MonthlySeries(Spelling(n.Key, spellings), totals[n.Key], n.Value))
            .OrderByDescending(s => s.Total).ThenBy(s => s.Name, StringComparer.Ordinal).Take(Top).ToList();
        var months = Enumerable.Range(0, MonthCount).Select(i => Label(start.AddMonths(i))).ToList();
        return new MonthlyTop(months, series);
    }

    /// <summary>The spelling of a name most papers use; of equals, the first in ordinal order.</summary>
    static string Spelling(string name, Dictionary<string, int> spellings) =>
        spellings.Where(s => Names.Equals(s.Key, name)).OrderByDescending(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal).First().Key;

    public static string Label(DateTime month) => month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
}

public sealed record MonthlySeries(string Name, int Total, IReadOnlyList<int> Counts);

/// <summary>Papers of one month carrying a name, spelt one way.</summary>
public readonly record struct MonthCell(int Year, int Month, string Name, int Papers);

/// <summary>How many papers carry categories at all, of all papers (ArxivCategory.CoverageAsync).</summary>
public sealed record Coverage(int WithCategories, int All);

/// <summary>Digests delivered per day (UTC) over the last 30 days: sent, and failed for good.</summary>
public sealed record Deliveries(DateOnly From, DateOnly To, IReadOnlyList<DeliveryDay> Days)
{
    public const int DayCount = 30;
    public int Sent => Days.Sum(d => d.Sent);
    public int Failed => Days.Sum(d => d.Failed);
}

public sealed record DeliveryDay(DateOnly Date, int Sent, int Failed);
