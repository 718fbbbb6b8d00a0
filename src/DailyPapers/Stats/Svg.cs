using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Components;

namespace DailyPapers.Stats;

/// <summary>Small pieces of SVG markup the chart components share.</summary>
public static class Svg
{
    /// <summary>A coordinate with at most two decimals, in invariant culture: SVG wants a dot.</summary>
    public static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>
    /// An SVG text element. Written as markup because Razor takes a literal &lt;text&gt; tag inside code for its own
    /// transition tag and drops it. The content is HTML-encoded.
    /// </summary>
    public static MarkupString Text(double x, double y, string anchor, string content, string css = "tick") =>
        new($"<text class=\"{css}\" x=\"{F(x)}\" y=\"{F(y)}\" text-anchor=\"{anchor}\">{WebUtility.HtmlEncode(content)}</text>");
}
