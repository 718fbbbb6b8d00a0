using System.Text;

namespace DailyPapers.Papers;

/// <summary>/papers/{id}.md: the paper as Markdown, for notes, LLM prompts and plain-text readers.</summary>
public static class PaperMarkdown
{
    public static string Render(Paper p, IReadOnlyList<DateOnly> featured, string baseUrl)
    {
        var md = new StringBuilder();
        md.Append("# ").AppendLine(p.DisplayTitle).AppendLine();
        md.Append("**Authors:** ").AppendLine(string.Join(", ", PaperView.AuthorNames(p))).AppendLine();
        md.Append("- arXiv: [").Append(p.Id).Append("](").Append(p.AbsUrl).AppendLine(")");
        md.Append("- PDF: ").AppendLine(p.PdfUrl);
        if (p.PublishedAt is { } published) md.Append("- Published: ").AppendLine(published.ToString("yyyy-MM-dd"));
        if (featured.Count > 0) md.Append("- Featured: ").AppendLine(string.Join(", ", featured.Select(d => d.ToString("yyyy-MM-dd"))));
        if (p.Categories is not null) md.Append("- Categories: ").AppendLine(string.Join(", ", p.CategoryList));
        if (p.GithubRepo is not null) md.Append("- Code: ").Append(p.GithubRepo).AppendLine(p.GithubStars is { } s ? $" ({s} stars)" : "");
        if (p.ProjectPage is not null) md.Append("- Project page: ").AppendLine(p.ProjectPage);
        md.Append("- Upvotes: ").Append(p.Counts.Upvotes).AppendLine();
        md.Append("- Page: ").Append(baseUrl).Append("/papers/").AppendLine(p.Id).AppendLine();
        md.AppendLine("## Abstract").AppendLine().AppendLine(Ingest.Text.Squash(p.Summary));
        if (p.AiSummary is not null) md.AppendLine().AppendLine("## AI summary").AppendLine().AppendLine(p.AiSummary);
        return md.ToString();
    }
}
