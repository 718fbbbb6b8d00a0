using DailyPapers.Feed;

namespace DailyPapers.Search;

public enum SearchMode { Keyword, Semantic, Hybrid }

/// <summary>A search as asked over HTTP: q, mode, limit, p, from, to, category, has_code.</summary>
public sealed record SearchRequest(SearchQuery Query, SearchMode? Mode, int Limit, SearchFilters Filters, int Page = 0)
{
    public const int MaxLimit = 120;
    public const int DefaultLimit = 20;

    /// <summary>How deep results are served: every page reads the lists from the top, so depth is what a page costs.</summary>
    public const int MaxDepth = 1000;

    /// <summary>Results read to serve this page, plus one to know whether another page follows.</summary>
    public int Depth => (Page + 1) * Limit + 1;

    /// <summary>What TryRead reads, for the OpenAPI document.</summary>
    public static readonly Web.ApiQuery[] Parameters =
    [
        new("q", "The query, up to 250 characters: words, \"phrases\", -excluded, title:word, author:\"First Last\", cat:cs.CV, word*. None or empty: the featured papers by trending score."),
        new("mode", "keyword (the default), semantic or hybrid."),
        new("limit", "Results, 1-120 (default 20).", Microsoft.OpenApi.JsonSchemaType.Integer),
        new("p", "Page, from 0 (default 0), of `limit` results each; a Link rel=\"next\" header points to the next one. The first 1,000 results are served.", Microsoft.OpenApi.JsonSchemaType.Integer),
        new("from", "Published on or after, YYYY-MM-DD."),
        new("to", "Published on or before, YYYY-MM-DD."),
        new("category", "An arXiv category (cs.LG) or a whole archive (cs); may be repeated."),
        new("has_code", "true: only papers with a code repository; false: only those without.", Microsoft.OpenApi.JsonSchemaType.Boolean),
    ];

    public static bool TryRead(IQueryCollection q, out SearchRequest request, out string error)
    {
        request = null!;
        if (!SearchQuery.TryParse(q["q"].ToString(), out var query, out error)) return false;
        if (!FeedRequest.TryInt(q, "limit", 1, MaxLimit, DefaultLimit, out var limit, out error)) return false;
        if (!FeedRequest.TryInt(q, "p", 0, MaxDepth / limit - 1, 0, out var page, out error)) return false;
        if (!TryMode(q["mode"].ToString(), out var mode, out error)) return false;
        if (!TryDate(q, "from", out var from, out error) || !TryDate(q, "to", out var to, out error)) return false;
        if (from > to) { error = "from must not be after to"; return false; }
        if (!TryBool(q, "has_code", out var hasCode, out error)) return false;
        var asked = query.Categories.Concat(q["category"].Where(c => !string.IsNullOrEmpty(c)).Select(c => c!)).ToList();
        if (asked.FirstOrDefault(c => !Papers.ArxivCategory.TryParse(c, out _)) is { } bad)
        {
            error = "category: " + Papers.ArxivCategory.Invalid(bad);
            return false;
        }
        var categories = asked.Select(c => Papers.ArxivCategory.TryParse(c, out var canonical) ? canonical : c).Distinct().ToList();
        request = new SearchRequest(query, mode, limit, new SearchFilters(from, to, categories, hasCode), page);
        return true;
    }

    static bool TryMode(string value, out SearchMode? mode, out string error)
    {
        (mode, error) = (null, "");
        if (value.Length == 0) return true;
        if (Enum.TryParse<SearchMode>(value, ignoreCase: true, out var m) && !int.TryParse(value, out _)) { mode = m; return true; }
        error = $"mode '{Ingest.Text.Clip(value)}' is not one of keyword, semantic, hybrid";
        return false;
    }

    static bool TryDate(IQueryCollection q, string key, out DateOnly? date, out string error)
    {
        (date, error) = (null, "");
        var s = q[key].ToString();
        if (s.Length == 0) return true;
        if (Period.TryParseDate(s, out var d)) { date = d; return true; }
        error = Period.DateError(key, s);
        return false;
    }

    static bool TryBool(IQueryCollection q, string key, out bool? value, out string error)
    {
        (value, error) = (null, "");
        switch (q[key].ToString().ToLowerInvariant())
        {
            case "": return true;
            case "true" or "1" or "yes": value = true; return true;
            case "false" or "0" or "no": value = false; return true;
            default: error = $"{key} must be true or false"; return false;
        }
    }
}
