using System.Text.Json;
using System.Text.Json.Nodes;

namespace DailyPapers.Tests;

/// <summary>Tiny builders for inputs the fixtures do not cover.</summary>
public static class Some
{
    /// <summary>A Hugging Face daily entry line, with fields overridden by the caller.</summary>
    public static string HfEntry(string id, string date, int upvotes = 1, string title = "A paper", Action<JsonObject>? paper = null)
    {
        var p = new JsonObject
        {
            ["id"] = id, ["title"] = title, ["summary"] = "An abstract.", ["upvotes"] = upvotes,
            ["authors"] = new JsonArray(new JsonObject { ["name"] = "Ada Lovelace" }),
            ["publishedAt"] = "2026-01-01T00:00:00.000Z",
        };
        paper?.Invoke(p);
        return new JsonObject { ["date"] = date, ["paper"] = p, ["title"] = title, ["numComments"] = 0 }.ToJsonString();
    }

    public static string File(params string[] lines)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("dailypapers-input-").FullName, "input.jsonl");
        System.IO.File.WriteAllLines(path, lines);
        return path;
    }

    public static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
