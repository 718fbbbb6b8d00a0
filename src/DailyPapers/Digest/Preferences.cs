using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using DailyPapers.Search;

namespace DailyPapers.Digest;

public static class Cadence
{
    public const string Weekdays = "weekdays";
    public const string Daily = "daily";
    public const string Weekly = "weekly";
    public static readonly string[] All = [Weekdays, Daily, Weekly];
}

/// <summary>What a subscriber wants to read about. Any part may be empty; all empty means "the top papers".</summary>
public sealed record Topics(
    [property: JsonPropertyName("categories")] IReadOnlyList<string> Categories,
    [property: JsonPropertyName("keywords")] IReadOnlyList<string> Keywords,
    [property: JsonPropertyName("query")] string? Query,
    [property: JsonPropertyName("authors")] IReadOnlyList<string> Authors)
{
    public static readonly Topics None = new([], [], null, []);

    /// <summary>Hugging Face organisation names (their "name", as in /organizations/{name}): followed, not yet a digest topic.</summary>
    [JsonPropertyName("organizations")]
    public IReadOnlyList<string> Organizations { get; init; } = [];

    [JsonIgnore]
    public bool IsEmpty => Categories.Count == 0 && Keywords.Count == 0 && string.IsNullOrEmpty(Query) && Authors.Count == 0 && Organizations.Count == 0;

    /// <summary>The text embedded for semantic matching: the query and the keywords together.</summary>
    [JsonIgnore]
    public string? SemanticText => string.Join(" ", new[] { Query }.Concat(Keywords).Where(s => !string.IsNullOrWhiteSpace(s))) is { Length: > 0 } t ? t : null;

    public string ToJson() => JsonSerializer.Serialize(this);

    public static Topics FromJson(string json) => Normalize(JsonSerializer.Deserialize<Topics>(json));

    /// <summary>Lists absent from JSON come back null; a Topics in hand always has lists.</summary>
    public static Topics Normalize(Topics? t) => t is null ? None
        : new Topics(t.Categories ?? [], t.Keywords ?? [], t.Query, t.Authors ?? []) { Organizations = t.Organizations ?? [] };
}

public sealed record Preferences(string Cadence, Topics Topics, int Count)
{
    public const int DefaultCount = 10;
    public const int MaxCount = 50;
    public const int MaxItems = 20;
    public const int MaxKeywordLength = 64;
    public const int MaxAuthorLength = 100;

    public string ToJson() => JsonSerializer.Serialize(new { cadence = Cadence, topics = Topics, count = Count });
}

/// <summary>
/// Checks a subscription request. Every rule is here, pure, so the API, the form and the preferences page refuse
/// the same things with the same messages.
/// </summary>
public static partial class SubscriptionRules
{
    public const int MaxEmailLength = 254;

    // Deliberately narrower than RFC 5322: one plain address, no display name, no quoting, no comments, nothing a
    // mail header could be split on (CR, LF, commas, angle brackets).
    [GeneratedRegex(@"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\z")]
    private static partial Regex AddressPattern();

    public static bool TryEmail(string? raw, out string email, out string error)
    {
        email = (raw ?? "").Trim().ToLowerInvariant();
        error = "";
        if (email.Length == 0) error = "email is required";
        else if (email.Length > MaxEmailLength) error = $"email is longer than {MaxEmailLength} characters";
        else if (!AddressPattern().IsMatch(email) || email.Contains("..")) error = "email is not a valid address (one plain address like name@example.org)";
        return error.Length == 0;
    }

    public static bool TryPreferences(string? cadence, int? count, Topics? topics, out Preferences preferences, out string error)
    {
        preferences = new Preferences(Cadence.Weekdays, Topics.None, Preferences.DefaultCount);
        error = "";
        var c = (cadence ?? Cadence.Weekdays).Trim().ToLowerInvariant();
        if (!Cadence.All.Contains(c)) error = $"cadence must be one of: {string.Join(", ", Cadence.All)}";
        else if (count is < 1 or > Preferences.MaxCount) error = $"count must be between 1 and {Preferences.MaxCount}";
        else if (!TryTopics(topics ?? Topics.None, out var clean, out error)) { }
        else preferences = new Preferences(c, clean, count ?? Preferences.DefaultCount);
        return error.Length == 0;
    }

    static bool TryTopics(Topics topics, out Topics clean, out string error)
    {
        clean = Topics.None;
        var categories = Cleaned(topics.Categories).Select(c => Papers.ArxivCategory.TryParse(c, out var canonical) ? canonical : c).Distinct().ToList();
        var keywords = Cleaned(topics.Keywords);
        var authors = Cleaned(topics.Authors);
        var organizations = Cleaned(topics.Organizations);
        var query = Ingest.Text.Squash(topics.Query) ?? "";
        error = Limit("categories", categories, Papers.ArxivCategory.MaxLength) ?? Limit("keywords", keywords, Preferences.MaxKeywordLength)
            ?? Limit("authors", authors, Preferences.MaxAuthorLength) ?? Limit("organizations", organizations, Preferences.MaxAuthorLength) ?? "";
        if (error.Length == 0 && categories.FirstOrDefault(c => !Papers.ArxivCategory.TryParse(c, out _)) is { } bad)
            error = Papers.ArxivCategory.Invalid(bad);
        if (error.Length == 0 && query.Length > 0 && !SearchQuery.TryParse(query, out _, out var why))
            error = "topics.query: " + why;
        if (error.Length > 0) return false;
        clean = new Topics(categories, keywords, query.Length == 0 ? null : query, authors) { Organizations = organizations };
        return true;
    }

    static List<string> Cleaned(IReadOnlyList<string>? items) =>
        (items ?? []).Select(s => Ingest.Text.Squash(s) ?? "").Where(s => s.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    static string? Limit(string name, List<string> items, int length) =>
        items.Count > Preferences.MaxItems ? $"topics.{name} may hold at most {Preferences.MaxItems} entries, not {items.Count}"
        : items.FirstOrDefault(i => i.Length > length) is not null ? $"each of topics.{name} must be at most {length} characters"
        : items.FirstOrDefault(i => i.Any(char.IsControl)) is not null ? $"topics.{name} must not contain control characters"
        : null;
}
