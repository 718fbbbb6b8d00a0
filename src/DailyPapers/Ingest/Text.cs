using System.Globalization;
using System.Text;
using System.Text.Json;
using DailyPapers.Papers;

namespace DailyPapers.Ingest;

/// <summary>Small conversions every parser needs.</summary>
public static class Text
{
    public const int MaxTitle = 1_000;
    public const int MaxSummary = 20_000;

    /// <summary>Collapses the line wraps and indentation that arXiv and pretty-printed XML put inside fields.</summary>
    public static string? Squash(string? s)
    {
        if (s is null) return null;
        var sb = new StringBuilder(s.Length);
        var space = false;
        foreach (var ch in s.AsSpan().Trim())
        {
            if (char.IsWhiteSpace(ch)) { space = true; continue; }
            if (space) sb.Append(' ');
            space = false;
            sb.Append(ch);
        }
        return sb.Length == 0 ? null : sb.ToString();
    }

    public static DateTime? Time(string? s) =>
        DateTime.TryParse(s, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    /// <summary>arXiv's version dates: "Mon, 2 Apr 2007 19:18:42 GMT".</summary>
    public static DateTime? Rfc1123(string? s) =>
        DateTime.TryParseExact(Squash(s), ["ddd, d MMM yyyy HH:mm:ss 'GMT'", "r"], CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    /// <summary>Authors as the JSON array of {"name"} objects the API serves.</summary>
    public static string AuthorsJson(IEnumerable<string> names) =>
        JsonSerializer.Serialize(names.Select(n => new Dictionary<string, string> { ["name"] = n }));

    /// <summary>"A, B and C" (arXiv's authors line) into names.</summary>
    public static IEnumerable<string> SplitAuthors(string? line)
    {
        var s = Squash(line) ?? "";
        return s.Replace(", and ", ", ").Replace(" and ", ", ").Split(',', StringSplitOptions.TrimEntries)
            .Where(n => n.Length > 0);
    }

    public static (string Id, int? Version) RequireId(string? raw)
    {
        if (!ArxivId.TryParseLoose(raw, out var id, out var version))
            throw new BadRecordException(raw is null ? "no arXiv id" : $"'{Clip(raw)}' is not an arXiv id");
        return (id, version);
    }

    /// <summary>
    /// A title with arXiv's line breaks, as Hugging Face keeps them: "…Multimodal\n  Models", each continuation line
    /// indented two spaces (all 3,088 wrapped titles of the real Hugging Face data have that form). Only the
    /// indentation that pretty-printed XML adds is reduced to it. Paper.DisplayTitle is the one-line form.
    /// </summary>
    public static string RequireTitle(string? raw)
    {
        var lines = WithoutControls(raw ?? "").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0);
        var title = string.Join("\n  ", lines);
        if (title.Length == 0) throw new BadRecordException("no title");
        return title.Length <= MaxTitle ? title : throw new BadRecordException($"title longer than {MaxTitle} characters");
    }

    public static string Summary(string? raw)
    {
        var s = WithoutControls(raw?.Trim() ?? "");
        return s.Length <= MaxSummary ? s : throw new BadRecordException($"abstract longer than {MaxSummary} characters");
    }

    /// <summary>Drops control characters other than tab and newline: they only ever come from broken extraction.</summary>
    public static string WithoutControls(string s) =>
        s.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r')) ? new string(s.Where(c => !char.IsControl(c) || c is '\t' or '\n' or '\r').ToArray()) : s;

    public static string Clip(string s) => s.Length <= 60 ? s : s[..60] + "…";
}
