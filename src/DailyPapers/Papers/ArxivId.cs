using System.Text.RegularExpressions;

namespace DailyPapers.Papers;

/// <summary>
/// arXiv identifiers: the one rule for every route, body, command and import. An id has the shape of one, as Hugging
/// Face answers them: new style NNNN.NNNN(N), old style archive[.SC]/NNNNNNN (math/0601001, math.GT/0309136), each
/// with an optional version vN. The month is not checked: 1234.56789 has the shape, so it is looked up and answers
/// 404 when unknown; only what cannot be an id at all is a 400.
/// </summary>
public static partial class ArxivId
{
    // [0-9], never \d: \d also takes Arabic-Indic and other Unicode digits, which no id holds and int.Parse refuses.
    // \z, never $: $ also matches before a final newline, so "2405.15738\n" would pass.
    [GeneratedRegex(@"^(?<id>[0-9]{4}\.[0-9]{4,5}|[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]{2})?/[0-9]{7})(?:v(?<v>[1-9][0-9]{0,2}))?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();

    // Prefixes seen in real inputs: links (https://arxiv.org/abs/…, /pdf/, /html/), OAI identifiers (oai:arXiv.org:…), "arXiv:…".
    [GeneratedRegex(@"^(?:https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/|oai:arXiv\.org:|arxiv:)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Prefix();

    [GeneratedRegex(@"^[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]{2})?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Archive();

    /// <summary>Whether text is the archive part of an old-style id (math, astro-ph, math.GT).</summary>
    public static bool IsArchive(string text) => text.Length <= 20 && Archive().IsMatch(text);

    public const string Examples = "2405.15738, 2405.15738v2 or math/0601001";

    /// <summary>The one message for text that cannot be an id, wherever it came from.</summary>
    public static string NotAnId(string? text) => $"'{Ingest.Text.Clip(text ?? "")}' is not an arXiv id ({Examples})";

    /// <summary>Parses exactly an id (with optional version), as typed in a URL path.</summary>
    public static bool TryParse(string? text, out string id, out int? version)
    {
        id = "";
        version = null;
        if (string.IsNullOrEmpty(text) || text.Length > 64) return false;
        var m = Shape().Match(text);
        if (!m.Success) return false;
        id = m.Groups["id"].Value;
        version = m.Groups["v"].Success ? int.Parse(m.Groups["v"].ValueSpan, System.Globalization.CultureInfo.InvariantCulture) : null;
        return true;
    }

    /// <summary>Also accepts the URL, OAI and "arXiv:" forms and a trailing ".pdf".</summary>
    public static bool TryParseLoose(string? text, out string id, out int? version)
    {
        var s = (text ?? "").Trim();
        s = Prefix().Replace(s, "");
        s = s.TrimEnd('/');
        if (s.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase)) s = s[..^4];
        return TryParse(s, out id, out version);
    }
}
