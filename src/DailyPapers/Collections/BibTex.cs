using System.Globalization;
using System.Text;
using DailyPapers.Papers;

namespace DailyPapers.Collections;

/// <summary>BibTeX @misc entries for arXiv papers, as arXiv's own export writes them. Pure.</summary>
public static class BibTex
{
    public static string Entry(Paper p)
    {
        var sb = new StringBuilder();
        sb.Append("@misc{").Append(Key(p)).Append(",\n");
        Field(sb, "title", p.DisplayTitle);
        Field(sb, "author", string.Join(" and ", PaperView.AuthorNames(p)));
        if (p.PublishedAt is { } published) Field(sb, "year", published.Year.ToString(CultureInfo.InvariantCulture));
        Field(sb, "eprint", p.Id);
        Field(sb, "archivePrefix", "arXiv");
        if (p.PrimaryCategory is { } c) Field(sb, "primaryClass", c);
        Field(sb, "url", $"https://arxiv.org/abs/{p.Id}");
        return sb.Append("}\n").ToString();
    }

    /// <summary>A citation key from the first author's surname, the year and the id: lowercase letters and digits only.</summary>
    static string Key(Paper p)
    {
        var first = PaperView.AuthorNames(p).FirstOrDefault()?.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "arxiv";
        var surname = new string(first.Normalize(NormalizationForm.FormD).Where(char.IsAsciiLetter).ToArray()).ToLowerInvariant();
        return $"{(surname.Length > 0 ? surname : "arxiv")}{p.PublishedAt?.Year}_{p.Id.Replace('/', '_').Replace('.', '_')}";
    }

    // Values go in braces; braces and backslashes inside are escaped so an odd title cannot break the file.
    static void Field(StringBuilder sb, string name, string value)
    {
        sb.Append("  ").Append(name).Append(" = {");
        foreach (var ch in value)
            sb.Append(ch switch { '\\' => "\\textbackslash{}", '{' => "\\{", '}' => "\\}", '\n' or '\r' => " ", _ => ch.ToString() });
        sb.Append("},\n");
    }
}
