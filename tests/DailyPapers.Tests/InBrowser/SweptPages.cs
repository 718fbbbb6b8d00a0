using DailyPapers.Tests.Hostile;

namespace DailyPapers.Tests.InBrowser;

/// <summary>
/// Every page a reader can open, read from the app's own route list (Hostile.Routes, with its fillers naming rows
/// Seed makes), so a page added later is swept without editing this file; plus the lists' other shapes, which one
/// route serves by its query.
/// </summary>
public static class SweptPages
{
    /// <summary>Routes for machines, not readers: the API, the OpenAPI document, feeds, and the site's own assets.</summary>
    static readonly string[] MachinePrefixes = ["/api", "/openapi", "/site.", "/favicon", "/media"];
    static readonly string[] FeedSuffixes = [".rss", ".atom"];
    /// <summary>Downloads (Content-Disposition: attachment): a browser saves them instead of showing a page.</summary>
    static readonly string[] Downloads = ["/account/export", "/admin/export"];

    static readonly string[] WithQueries =
    [
        "/papers?week=2026-W34", "/papers?month=2026-08", "/papers?date=2026-08-20",
        "/search?q=benchmarks&from=2026-08-01&to=2026-08-31&category=cs&has_code=true",
    ];

    public static IReadOnlyList<string> All() =>
    [
        .. Routes.All.Where(r => r.Method == "GET" && r.Unfillable is null && !IsMachine(r.Pattern)).Select(r => r.RealPath).Distinct(),
        .. WithQueries,
    ];

    /// <summary>Pages no filler knows how to fill yet (the hostile suite fails on these until one does).</summary>
    public static IEnumerable<(string Route, string Why)> Unfillable() =>
        Routes.All.Where(r => r.Method == "GET" && r.Unfillable is not null && !IsMachine(r.Pattern)).Select(r => (r.Pattern, r.Unfillable!));

    static bool IsMachine(string pattern) =>
        MachinePrefixes.Any(p => pattern.StartsWith(p, StringComparison.Ordinal)) || FeedSuffixes.Any(s => pattern.EndsWith(s, StringComparison.Ordinal))
        || Downloads.Contains(pattern);
}
