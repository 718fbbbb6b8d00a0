using System.Runtime.CompilerServices;
using System.Text.Json;

namespace DailyPapers.Papers;

/// <summary>
/// The organisation Hugging Face shows a paper under ({"name", "fullname", "avatar"} in Paper.OrganizationJson and
/// DailyEntry.OrganizationJson): Name is its handle there (google), Fullname what it calls itself (Google), Avatar the
/// local address of its logo (a stored copy or a placeholder, never another host), null when the data names none.
/// The one reading of that object: cards, paper pages, organisation pages and digests all go through it.
/// </summary>
public sealed record Organization(string Name, string Fullname, string? Avatar)
{
    /// <summary>Names are Hugging Face handles: letters, digits, '-', '_' and '.', starting with a letter or digit.</summary>
    public const int MaxName = 100;

    public static bool IsName(string? s) =>
        s is { Length: > 0 and <= MaxName } && char.IsAsciiLetterOrDigit(s[0]) && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>The organisation in a stored JSON object; null when there is none or it has no usable name.</summary>
    public static Organization? Read(string? json) => string.IsNullOrEmpty(json) ? null : Parsed.GetValue(json, Parse).Value;

    /// <summary>
    /// Each JSON text read once while it lives: the papers searches keep (Search/SearchRows) show the same text on every
    /// result page, and parsing JSON columns (this and the authors, now Paper.AuthorList) was a sixth of rendering one.
    /// </summary>
    static readonly ConditionalWeakTable<string, StrongBox<Organization?>> Parsed = new();

    static StrongBox<Organization?> Parse(string json) => new(ParseOnce(json));

    static Organization? ParseOnce(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Text(root, "name") is not { } name || !IsName(name)) return null;
            var fullname = Text(root, "fullname") is { Length: > 0 } full ? full : name;
            return new Organization(name, fullname, Media.MediaUrls.Remote(Text(root, "avatar"), Media.MediaKind.Avatar, fullname));
        }
        catch (JsonException) { return null; }
    }

    /// <summary>A paper's organisation: its own, else the one of the daily entry it was listed under.</summary>
    public static Organization? Of(Paper paper, Feed.DailyEntry? entry = null) => Read(paper.OrganizationJson) ?? Read(entry?.OrganizationJson);

    static string? Text(JsonElement e, string field) =>
        e.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String ? Ingest.Text.Squash(v.GetString()) : null;
}
