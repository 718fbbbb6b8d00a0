namespace DailyPapers.Votes;

/// <summary>
/// The trending score, published on /about/trending and in the README. Hacker News' gravity, with comments counted
/// the way Lobsters counts them:
///
///   points   = upvotes + 0.5 × min(comments, upvotes)
///   trending = points ^ 0.8 / (hours since featured + 2) ^ 1.8
///
/// Why: the exponent 0.8 on points makes the hundredth vote worth less than the first, so a paper with a head start
/// cannot hold the top for days; the gravity 1.8 makes a day-old paper need about ten times the votes of a new one.
/// A comment is half a vote, and comments never count for more than the votes: a long argument under a paper
/// nobody upvotes does not make it trend. Pure: the time comes in, so tests pin exact values with a fixed clock.
/// </summary>
public static class Trending
{
    public const double PointsExponent = 0.8;
    public const double Gravity = 1.8;
    public const double CommentWeight = 0.5;
    public const double HoursOffset = 2;

    public static double Points(int upvotes, int comments) =>
        Math.Max(upvotes, 0) + CommentWeight * Math.Min(Math.Max(comments, 0), Math.Max(upvotes, 0));

    public static double Score(int upvotes, int comments, DateTime featuredAt, DateTime now)
    {
        var hours = Math.Max((now - featuredAt).TotalHours, 0);
        return Math.Pow(Points(upvotes, comments), PointsExponent) / Math.Pow(hours + HoursOffset, Gravity);
    }

    /// <summary>Featured this recently, a paper is "rising": its score comes from fresh votes, not from a long stay.</summary>
    public static readonly TimeSpan RisingWindow = TimeSpan.FromHours(48);

    public static bool IsRising(DateTime featuredAt, DateTime now) => now - featuredAt < RisingWindow && now >= featuredAt;

    /// <summary>How long ago, as people say it: "5 hours ago", "3 days ago".</summary>
    public static string Age(DateTime featuredAt, DateTime now)
    {
        var age = now - featuredAt;
        return age.TotalHours < 1 ? "just now"
            : age.TotalHours < 48 ? $"{(int)age.TotalHours} {((int)age.TotalHours == 1 ? "hour" : "hours")} ago"
            : $"{(int)age.TotalDays} days ago";
    }

    /// <summary>Why a paper ranks where it does, in words, for its page.</summary>
    public static string Explain(int upvotes, int comments, DateTime featuredAt, DateTime now)
    {
        var hours = Math.Max((now - featuredAt).TotalHours, 0);
        var points = Points(upvotes, comments);
        return FormattableString.Invariant(
            $"{upvotes} upvotes + 0.5 × {Math.Min(comments, upvotes)} counted comments = {points:0.#} points; {points:0.#}^0.8 / ({hours:0.#} h + 2)^1.8 = {Score(upvotes, comments, featuredAt, now):0.######}");
    }
}
