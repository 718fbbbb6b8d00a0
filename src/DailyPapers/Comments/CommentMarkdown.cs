using Ganss.Xss;
using Markdig;

namespace DailyPapers.Comments;

/// <summary>
/// Markdown to safe HTML: Markdig renders (raw HTML in the input is disabled, so it shows as text), then
/// HtmlSanitizer keeps only an allow-list of tags, attributes and URL schemes. Two layers: a bug in one is not enough.
/// </summary>
public static class CommentMarkdown
{
    public const int MaxLength = 10_000;

    static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().DisableHtml().UseAutoLinks().UseEmphasisExtras().Build();

    static readonly HtmlSanitizer Sanitizer = Create();

    static HtmlSanitizer Create()
    {
        var s = new HtmlSanitizer();
        s.AllowedSchemes.Clear();
        s.AllowedSchemes.UnionWith(["http", "https", "mailto"]);
        s.AllowedTags.Clear();
        s.AllowedTags.UnionWith(["p", "br", "em", "strong", "del", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h3", "h4", "hr"]);
        s.AllowedAttributes.Clear();
        s.AllowedAttributes.UnionWith(["href", "title"]);
        s.AllowedCssProperties.Clear();
        // Links written by users are not endorsements, and must not give the opened page a handle on ours.
        s.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Html.Dom.IHtmlAnchorElement a) a.SetAttribute("rel", "nofollow ugc noopener");
        };
        s.AllowedAttributes.Add("rel");
        return s;
    }

    public static string ToHtml(string markdown) => Sanitizer.Sanitize(Markdown.ToHtml(markdown, Pipeline));
}
