using System.Text.RegularExpressions;
using DailyPapers.Data;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Papers;

/// <summary>
/// arXiv categories: the one rule for reading them (search filters and cat:, follows, digest topics, harvest) and
/// for matching them against a paper. A category is an archive (cs, hep-th, cond-mat, q-bio) with an optional subject
/// class (cs.LG, cond-mat.stat-mech). An archive alone takes all of its categories; a category only itself.
/// </summary>
public static partial class ArxivCategory
{
    public const int MaxLength = 32;

    [GeneratedRegex(@"^(?<archive>[A-Za-z]+(?:-[A-Za-z]+)?)(?:\.(?<subject>[A-Za-z]+(?:-[A-Za-z]+)?))?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();

    /// <summary>
    /// Reads a category as people type it (cs.lg, CS.LG) into the form arXiv writes: archive in lower case, a
    /// two-letter subject class in upper case (cs.LG, math.AG), a longer one in lower case (cond-mat.stat-mech).
    /// </summary>
    public static bool TryParse(string? raw, out string category)
    {
        category = "";
        var text = raw?.Trim() ?? "";
        if (text.Length is 0 or > MaxLength || Shape().Match(text) is not { Success: true } m) return false;
        var archive = m.Groups["archive"].Value.ToLowerInvariant();
        var subject = m.Groups["subject"].Value;
        category = subject.Length == 0 ? archive : $"{archive}.{(subject.Length == 2 ? subject.ToUpperInvariant() : subject.ToLowerInvariant())}";
        return true;
    }

    public static string Invalid(string? raw) => $"'{Ingest.Text.Clip(raw ?? "")}' is not an arXiv category like cs.LG or an archive like cs";

    public static bool IsArchive(string category) => !category.Contains('.');

    /// <summary>
    /// Whether a paper's categories (as stored: space-separated, primary first) include a wanted one, however it was
    /// spelled when stored (a follow or digest topic saved before this rule may say cs.lg).
    /// </summary>
    public static bool Matches(string? paperCategories, string wanted)
    {
        if (TryParse(wanted, out var read)) wanted = read;
        return (paperCategories ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(c => Includes(c, wanted));
    }

    static bool Includes(string paperCategory, string wanted) =>
        paperCategory == wanted || (IsArchive(wanted) && paperCategory.StartsWith(wanted + ".", StringComparison.Ordinal));

    /// <summary>
    /// How many papers carry categories at all. Hugging Face's lists have none, so a category filter or follow matches
    /// only papers also seen through arXiv (an import, a harvest or a submission fills them in); pages say so.
    /// </summary>
    public static async Task<(int WithCategories, int All)> CoverageAsync(AppDb db, CancellationToken ct = default) =>
        (await db.Papers.CountAsync(p => p.Categories != null && p.Categories != "", ct), await db.Papers.CountAsync(ct));

    public static string CoverageNote((int WithCategories, int All) coverage) =>
        $"Categories come from arXiv: {coverage.WithCategories:N0} of {coverage.All:N0} papers here carry them, so a category matches only those. " +
        "Papers listed by Hugging Face get theirs once they are seen through arXiv (an import, a harvest or a submission).";
}
