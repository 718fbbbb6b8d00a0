using System.Text.Json;

namespace DailyPapers.Papers;

/// <summary>
/// The organisation Hugging Face shows a paper under ({"name", "fullname", "avatar"} in Paper.OrganizationJson and
/// DailyEntry.OrganizationJson): Name is its handle there (google), Fullname what it calls itself (Google).
/// </summary>
public sealed record Organization(string Name, string Fullname)
{
    /// <summary>Names are Hugging Face handles: letters, digits, '-', '_' and '.', starting with a letter or digit.</summary>
    public const int MaxName = 100;

    public static bool IsName(string? s) =>
        s is { Length: > 0 and <= MaxName } && char.IsAsciiLetterOrDigit(s[0]) && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>The organisation in a stored JSON object; null when there is none or it has no usable name.</summary>
    public static Organization? Read(string? json)
    {
        if (string.IsNullOrEmpty(json)) return null;
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Text(root, "name") is not { } name || !IsName(name)) return null;
            return new Organization(name, Text(root, "fullname") is { Length: > 0 } full ? full : name);
        }
        catch (JsonException) { return null; }
    }

    /// <summary>A paper's organisation: its own, else the one of the daily entry it was listed under.</summary>
    public static Organization? Of(Paper paper, Feed.DailyEntry? entry = null) => Read(paper.OrganizationJson) ?? Read(entry?.OrganizationJson);

    static string? Text(JsonElement e, string field) =>
        e.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String ? Ingest.Text.Squash(v.GetString()) : null;
}
