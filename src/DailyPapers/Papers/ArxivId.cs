using System.Text.RegularExpressions;

namespace DailyPapers.Papers;

/// <summary>
/// arXiv identifiers. New style: YYMM.NNNN (2007–2014) or YYMM.NNNNN (2015–). Old style: archive[.SC]/YYMMNNN,
/// e.g. math/0601001 or math.GT/0309136. Either may carry a version suffix vN.
/// </summary>
public static partial class ArxivId
{
    [GeneratedRegex(@"^(?<id>(?:\d{2}(?:0[1-9]|1[0-2])\.\d{4,5})|(?:[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]{2})?/\d{2}(?:0[1-9]|1[0-2])\d{3}))(?:v(?<v>[1-9]\d{0,2}))?$")]
    private static partial Regex Strict();

    // Prefixes seen in real inputs: Atom ids (http://arxiv.org/abs/…), OAI identifiers (oai:arXiv.org:…), "arXiv:…".
    [GeneratedRegex(@"^(?:https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/|oai:arXiv\.org:|arxiv:)", RegexOptions.IgnoreCase)]
    private static partial Regex Prefix();

    /// <summary>Parses exactly an id (with optional version), as typed in a URL path.</summary>
    public static bool TryParse(string? text, out string id, out int? version)
    {
        id = "";
        version = null;
        if (string.IsNullOrEmpty(text) || text.Length > 64) return false;
        var m = Strict().Match(text);
        if (!m.Success) return false;
        id = m.Groups["id"].Value;
        version = m.Groups["v"].Success ? int.Parse(m.Groups["v"].Value) : null;
        return true;
    }

    /// <summary>Also accepts the URL, OAI and "arXiv:" forms and a trailing ".pdf".</summary>
    public static bool TryParseLoose(string? text, out string id, out int? version)
    {
        var s = (text ?? "").Trim();
        s = Prefix().Replace(s, "");
        if (s.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase)) s = s[..^4];
        return TryParse(s.TrimEnd('/'), out id, out version);
    }
}
