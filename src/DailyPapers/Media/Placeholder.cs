using System.Net;
using System.Text;

namespace DailyPapers.Media;

/// <summary>
/// What a media address answers while nothing is stored: small SVGs drawn here, the same bytes for every reader
/// (only the address decides them), cached briefly so a copy fetched later shows up soon. Text in them is escaped.
/// </summary>
public static class Placeholder
{
    const string CacheControl = "public, max-age=300";

    /// <summary>A neutral page-shaped card (the proportions of a US Letter page, as pdftoppm draws one) with the arXiv id.</summary>
    public static IResult Thumbnail(HttpContext context, string paperId) => Svg(context, $"""
        <svg xmlns="http://www.w3.org/2000/svg" width="371" height="480" viewBox="0 0 371 480">
        <rect x="0.5" y="0.5" width="370" height="479" fill="#f4f4f5" stroke="#d4d4d8"/>
        <text x="185.5" y="230" text-anchor="middle" font-family="sans-serif" font-size="22" fill="#71717a">arXiv</text>
        <text x="185.5" y="265" text-anchor="middle" font-family="sans-serif" font-size="28" fill="#3f3f46">{WebUtility.HtmlEncode(paperId)}</text>
        </svg>
        """);

    /// <summary>A circle with an initial, coloured by the name so neighbours differ.</summary>
    public static IResult Avatar(HttpContext context, string name)
    {
        var initial = name.EnumerateRunes().FirstOrDefault(Rune.IsLetterOrDigit);
        var letter = initial == default ? "?" : Rune.ToUpperInvariant(initial).ToString();
        var hue = BitConverter.ToUInt16(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(name))) % 360;
        return Svg(context, $"""
            <svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">
            <circle cx="32" cy="32" r="32" fill="hsl({hue},45%,55%)"/>
            <text x="32" y="42" text-anchor="middle" font-family="sans-serif" font-size="30" fill="#fff">{WebUtility.HtmlEncode(letter)}</text>
            </svg>
            """);
    }

    /// <summary>An image or video not stored: a plain frame.</summary>
    public static IResult Image(HttpContext context) => Svg(context, """
        <svg xmlns="http://www.w3.org/2000/svg" width="480" height="270" viewBox="0 0 480 270">
        <rect x="0.5" y="0.5" width="479" height="269" fill="#f4f4f5" stroke="#d4d4d8"/>
        </svg>
        """);

    static IResult Svg(HttpContext context, string svg)
    {
        context.Response.Headers.CacheControl = CacheControl;
        return Results.Text(svg, "image/svg+xml; charset=utf-8");
    }
}
