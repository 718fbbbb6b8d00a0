using System.Text.Json;
using DailyPapers.Feed;

namespace DailyPapers.Papers;

/// <summary>Small read-outs of a paper's JSON columns for pages, feeds and Markdown.</summary>
public static class PaperView
{
    public static IReadOnlyList<string> AuthorNames(Paper p) => p.AuthorList;

    public static string AuthorLine(Paper p, int max = 6)
    {
        var names = AuthorNames(p);
        return names.Count <= max ? string.Join(", ", names) : string.Join(", ", names.Take(max)) + $" and {names.Count - max} more";
    }

    /// <summary>The paper's page on Hugging Face, where its imported comments are.</summary>
    public static string HuggingFaceUrl(Paper p) => $"https://huggingface.co/papers/{p.Id}";

    public static IReadOnlyList<string> Keywords(Paper p) => Keywords(p.AiKeywordsJson);

    /// <summary>The keywords in a stored ai_keywords array, for queries that read the column alone (/stats).</summary>
    public static IReadOnlyList<string> Keywords(string? aiKeywordsJson) => aiKeywordsJson is null ? [] : Strings(aiKeywordsJson);

    public static string? SubmitterName(DailyEntry e) => e.SubmittedByJson is null ? null
        : Field(e.SubmittedByJson, "fullname") ?? Field(e.SubmittedByJson, "name");

    public static string Excerpt(string text, int max = 280)
    {
        var s = Ingest.Text.Squash(text) ?? "";
        if (s.Length <= max) return s;
        var cut = s.LastIndexOf(' ', max);
        return s[..(cut > max / 2 ? cut : max)] + "…";
    }

    /// <summary>Names of the authors a JSON author list shows (Hugging Face marks some hidden).</summary>
    public static IReadOnlyList<string> Names(string json)
    {
        const string field = "name";
        if (string.IsNullOrEmpty(json)) return [];
        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.ValueKind != JsonValueKind.Array) return [];
        return doc.RootElement.EnumerateArray()
            .Where(a => a.ValueKind == JsonValueKind.Object && !(a.TryGetProperty("hidden", out var h) && h.ValueKind == JsonValueKind.True))
            .Select(a => a.TryGetProperty(field, out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null)
            .OfType<string>().ToList();
    }

    static IReadOnlyList<string> Strings(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.ValueKind != JsonValueKind.Array ? []
            : doc.RootElement.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList();
    }

    /// <summary>A string field of a stored JSON object; null when absent, not a string, or no object at all.</summary>
    internal static string? Field(string? json, string name)
    {
        if (string.IsNullOrEmpty(json)) return null;
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(name, out var v) &&
               v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    }
}
