using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DailyPapers.Papers;

namespace DailyPapers.Media;

/// <summary>A person or organisation shown with an avatar: the avatar is always a local address (a copy or a placeholder).</summary>
public sealed record Badge(string Name, string? Avatar);

/// <summary>
/// The addresses pages give the browser for media: all on this site, whether a copy is stored yet or not (the route
/// answers a placeholder until it is), so a reader's browser never loads anything from another host.
/// </summary>
public static class MediaUrls
{
    /// <summary>Hugging Face gives default avatars as paths on its own site ("/avatars/….svg").</summary>
    const string HuggingFace = "https://huggingface.co";

    public static string Thumbnail(Paper p) => $"/media/thumbnails/{p.Id}";

    /// <summary>The local address of a remote file named in the data; null when there is no usable source.</summary>
    public static string? Remote(string? sourceUrl, string kind, string? name)
    {
        if (Resolve(sourceUrl) is not { } url) return null;
        var local = $"/media/{Key(url)}";
        // The name draws the avatar placeholder's initial; other kinds have none.
        return kind == MediaKind.Avatar ? $"{local}?name={Uri.EscapeDataString(name ?? "")}" : local;
    }

    /// <summary>A submitter from a daily entry's "submittedBy" (or a paper's "submittedOnDailyBy").</summary>
    public static Badge? Submitter(string? json) => BadgeOf(json, "avatarUrl");

    /// <summary>An absolute http(s) address for a source, relative ones read against Hugging Face; null for anything else.</summary>
    public static string? Resolve(string? url)
    {
        url = url?.Trim();
        if (string.IsNullOrEmpty(url) || url.Length > 2000) return null;
        if (url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal)) url = HuggingFace + url;
        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri.AbsoluteUri : null;
    }

    /// <summary>The key of a remote copy: the SHA-256 of its resolved address, in lower-case hex.</summary>
    public static string Key(string resolvedUrl) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(resolvedUrl)));

    public static bool IsKey(string s) => s.Length == 64 && s.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    public static string ThumbnailKey(string paperId) => $"thumbnail:{paperId}";

    static Badge? BadgeOf(string? json, string avatarField)
    {
        if (json is null || Json.Object(json) is not { } o) return null;
        var name = Json.Text(o, "fullname") ?? Json.Text(o, "name");
        return name is null ? null : new Badge(name, Remote(Json.Text(o, avatarField), MediaKind.Avatar, name));
    }
}

/// <summary>Reads of the Hugging Face objects kept as JSON text; text that is not the expected shape reads as nothing.</summary>
static class Json
{
    public static JsonElement? Object(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? doc.RootElement.Clone() : null;
        }
        catch (JsonException) { return null; }
    }

    public static string? Text(JsonElement? o, string name) =>
        o is { } e && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;

    public static IReadOnlyList<string> Strings(string? json)
    {
        if (json is null) return [];
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind != JsonValueKind.Array ? []
                : doc.RootElement.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList();
        }
        catch (JsonException) { return []; }
    }
}
