using System.Text.Json;
using System.Text.Json.Serialization;
using DailyPapers.Feed;
using DailyPapers.Papers;

namespace DailyPapers.Ingest;

/// <summary>
/// DailyPapers' own JSON-lines export, its paper lines: one paper a line with the days it was featured. `import`
/// reads it back into exactly the same rows, so an export is a backup and a way to move between databases. The
/// other lines (accounts, votes, comments…) follow the papers; ExportRows reads and writes them.
/// </summary>
public static class ExportFormat
{
    public const string Type = "dailypapers.paper";

    public sealed record Line(string Type, Paper Paper, IReadOnlyList<DailyEntry> DailyEntries);

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new StoredTimeConverter() },
    };

    public static bool Matches(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String &&
        t.GetString() == Type;

    static JsonElement Upgrade(JsonElement line)
    {
        if (!line.TryGetProperty("paper", out var paper) || paper.ValueKind != JsonValueKind.Object || !Renamed.Any(r => paper.TryGetProperty(r.Old, out _)))
            return line;
        var node = System.Text.Json.Nodes.JsonNode.Parse(line.GetRawText())!;
        var p = node["paper"]!.AsObject();
        foreach (var (old, renamed) in Renamed)
            if (p.TryGetPropertyValue(old, out var value) && p.Remove(old) && !p.ContainsKey(renamed)) p[renamed] = value;
        return JsonSerializer.SerializeToElement(node);
    }

    public static string Write(Paper paper, IReadOnlyList<DailyEntry> entries) =>
        JsonSerializer.Serialize(new Line(Type, paper, entries), Options);

    // Exports written before 2026-12 named the imported counts "upvotes" and "numComments": they import as they were.
    static readonly (string Old, string New)[] Renamed = [("upvotes", "importedUpvotes"), ("numComments", "importedComments")];

    public static IngestRecord Read(JsonElement e, string location)
    {
        try
        {
            var line = Upgrade(e).Deserialize<Line>(Options) ?? throw new BadRecordException("empty line");
            if (line.Paper is null) throw new BadRecordException("no paper");
            var (id, _) = Text.RequireId(line.Paper.Id);
            if (id != line.Paper.Id) throw new BadRecordException($"paper id '{line.Paper.Id}' carries a version");
            Text.RequireTitle(line.Paper.Title);
            var entries = line.DailyEntries ?? [];
            foreach (var entry in entries) entry.PaperId = id;
            return IngestRecord.Ok(location, line.Paper, entries);
        }
        catch (Exception ex) when (ex is JsonException or BadRecordException or InvalidOperationException)
        {
            return IngestRecord.Rejected(location, ex.Message);
        }
    }
}

/// <summary>Writes a string column that holds JSON as the JSON itself, and reads it back compacted.</summary>
public sealed class RawJsonConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var doc = JsonDocument.ParseValue(ref reader);
        return doc.RootElement.ValueKind == JsonValueKind.Null ? null : JsonSerializer.Serialize(doc.RootElement);
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteRawValue(value);
}

/// <summary>
/// Times as the hub stores them (AppDb.ToMicroseconds): an export written before times were kept to the microsecond
/// carries a tenth of one, and would otherwise read as another time than the row it restores (an "updated" row on
/// every re-import, a comment that conflicts with itself). Written as System.Text.Json writes any DateTime.
/// </summary>
public sealed class StoredTimeConverter : JsonConverter<DateTime>
{
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Data.AppDb.ToMicroseconds(reader.GetDateTime());

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
