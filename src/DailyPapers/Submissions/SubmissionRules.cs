namespace DailyPapers.Submissions;

/// <summary>
/// Hugging Face-like rules for submitting a paper to the day's list, all in configuration. Pure: the facts and the
/// time come in, a refusal (or null) comes out, so every rule has a test with fixed dates.
/// </summary>
public static class SubmissionRules
{
    /// <summary>An arXiv id, or an arxiv.org abs/pdf/html URL, to the id without version (the one ArxivId rule).</summary>
    public static bool TryId(string? input, out string id) => Papers.ArxivId.TryParseLoose(input, out id, out _);

    public static string? Refusal(SubmissionOptions o, DateTime now, DateTime? published, int submittedTodayByUser, bool alreadyToday)
    {
        if (alreadyToday) return "this paper is already on today's list";
        if (submittedTodayByUser >= o.PerAccountPerDay) return $"you have submitted {o.PerAccountPerDay} papers today, the most a day";
        if (!o.AllowWeekends && now.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) return "papers are submitted on weekdays only";
        if (published is { } p && (now - p).TotalDays > o.MaxAgeDays) return $"the paper was published {p:yyyy-MM-dd}, more than {o.MaxAgeDays} days ago";
        return null;
    }
}
