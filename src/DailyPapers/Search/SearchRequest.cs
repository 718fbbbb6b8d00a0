using System.Text.RegularExpressions;
using DailyPapers.Feed;

namespace DailyPapers.Search;

public enum SearchMode { Keyword, Semantic, Hybrid }

/// <summary>A search as asked over HTTP: q, mode, limit, from, to, category, has_code.</summary>
public sealed partial record SearchRequest(SearchQuery Query, SearchMode? Mode, int Limit, SearchFilters Filters)
{
    public const int MaxLimit = 120;
    public const int DefaultLimit = 20;

    [GeneratedRegex(@"^[a-z]+(-[a-z]+)?(\.[A-Za-z]{2,}(-[A-Za-z]+)?)?$")]
    private static partial Regex CategoryShape();

    public static bool TryRead(IQueryCollection q, out SearchRequest request, out string error)
    {
        request = null!;
        if (!SearchQuery.TryParse(q["q"].ToString(), out var query, out error)) return false;
        if (!FeedRequest.TryInt(q, "limit", 1, MaxLimit, DefaultLimit, out var limit, out error)) return false;
        if (!TryMode(q["mode"].ToString(), out var mode, out error)) return false;
        if (!TryDate(q, "from", out var from, out error) || !TryDate(q, "to", out var to, out error)) return false;
        if (from > to) { error = "from must not be after to"; return false; }
        if (!TryBool(q, "has_code", out var hasCode, out error)) return false;
        var categories = query.Categories.Concat(q["category"].Where(c => !string.IsNullOrEmpty(c)).Select(c => c!)).Distinct().ToList();
        if (categories.FirstOrDefault(c => !CategoryShape().IsMatch(c)) is { } bad)
        {
            error = $"category '{Ingest.Text.Clip(bad)}' is not an arXiv category like cs.LG or an archive like cs";
            return false;
        }
        request = new SearchRequest(query, mode, limit, new SearchFilters(from, to, categories, hasCode));
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
        error = $"{key} '{Ingest.Text.Clip(s)}' is not a valid YYYY-MM-DD date";
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
