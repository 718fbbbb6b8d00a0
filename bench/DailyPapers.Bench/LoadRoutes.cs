/// <summary>
/// One route under load: its name for --routes, the paths wrk requests (several rotate, one per request), and whether
/// each request carries a nonce parameter, so no cache keyed by the address can answer it.
/// </summary>
sealed record LoadRoute(string Name, IReadOnlyList<string> Paths, bool Rotate)
{
    public string Shown => Rotate ? $"{Paths[0].Split('?')[0]}?q=… ({Paths.Count} queries{ModeShown})" : Paths[0];

    string ModeShown => Paths[0].Split("&mode=") is [_, var mode] ? $", {mode}" : "";
}

static class LoadRoutes
{
    /// <summary>
    /// The routes of issue 13, with ids and dates read from the data: the latest day with papers, its week and month,
    /// the most upvoted paper. Searches rotate the known-item task's first 500 queries (two ai_keywords of a paper).
    /// </summary>
    public static List<LoadRoute> All(PagesPicks p, IReadOnlyList<string> queries)
    {
        var day = $"date={p.Latest:yyyy-MM-dd}";
        List<string> Search(string prefix, string suffix) => [.. queries.Select(q => $"{prefix}?q={Uri.EscapeDataString(q)}{suffix}")];
        return
        [
            new("home", ["/"], false),
            new("day", [$"/papers?{day}"], false),
            new("week", [$"/papers?{p.Week}"], false),
            new("month", [$"/papers?{p.Month}"], false),
            new("paper", [$"/papers/{p.Paper}"], false),
            new("trending", ["/trending"], false),
            new("rss", [$"/papers.rss?{day}"], false),
            new("atom", [$"/papers.atom?{day}"], false),
            new("api-daily", [$"/api/daily_papers?{day}"], false),
            new("api-paper", [$"/api/papers/{p.Paper}"], false),
            new("search-page", Search("/search", ""), true),
            new("api-keyword", Search("/api/papers/search", "&mode=keyword"), true),
            new("api-semantic", Search("/api/papers/search", "&mode=semantic"), true),
            new("api-hybrid", Search("/api/papers/search", "&mode=hybrid"), true),
        ];
    }
}
