using System.Text.Json;
using DailyPapers.Feed;
using DailyPapers.Papers;

namespace DailyPapers.Ingest;

/// <summary>Entries of Hugging Face's /api/daily_papers: {paper:{…}, publishedAt, title, submittedBy, …}.</summary>
public static class HfDailyFormat
{
    public static bool Matches(JsonElement e) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("paper", out _);

    /// <param name="fallbackDate">The day the list was fetched for, when the entry does not say (e.g. from a file name).</param>
    public static IngestRecord Read(JsonElement e, string location, DateOnly? fallbackDate, Func<DateOnly, int> position)
    {
        try
        {
            var p = e.GetProperty("paper");
            if (p.ValueKind != JsonValueKind.Object) throw new BadRecordException("'paper' is not an object");
            var paper = ReadPaper(p, e);
            var entry = ReadEntry(e, p, paper.Id, fallbackDate);
            entry.Position = position(entry.Date);
            // Each day's list is a snapshot of the paper's community fields as of that day.
            paper.SnapshotAt = entry.Date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            return IngestRecord.Ok(location, paper, entry);
        }
        catch (BadRecordException ex) { return IngestRecord.Rejected(location, ex.Message); }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or KeyNotFoundException)
        {
            return IngestRecord.Rejected(location, "malformed entry: " + ex.Message);
        }
    }

    static Paper ReadPaper(JsonElement p, JsonElement e)
    {
        var (id, version) = Text.RequireId(Str(p, "id"));
        return new Paper
        {
            Id = id,
            Version = version,
            Title = Text.RequireTitle(Str(p, "title") ?? Str(e, "title")),
            Summary = Text.Summary(Str(p, "summary") ?? Str(e, "summary")),
            AuthorsJson = Json(p, "authors") is { } a && a.StartsWith('[') ? a : "[]",
            PublishedAt = Text.Time(Str(p, "publishedAt")),
            ImportedUpvotes = Int(p, "upvotes") ?? 0,
            ImportedComments = Int(e, "numComments") ?? 0,
            DiscussionId = Str(p, "discussionId"),
            SubmittedOnDailyAt = Text.Time(Str(p, "submittedOnDailyAt")),
            SubmittedOnDailyByJson = Json(p, "submittedOnDailyBy"),
            GithubRepo = Str(p, "githubRepo"),
            GithubStars = Int(p, "githubStars"),
            GithubRepoAddedBy = Str(p, "githubRepoAddedBy"),
            ProjectPage = Str(p, "projectPage"),
            AiSummary = Str(p, "ai_summary"),
            AiKeywordsJson = Json(p, "ai_keywords"),
            AiSummaryModel = Str(p, "ai_summary_model"),
            WithdrawnAt = Text.Time(Str(p, "withdrawnAt")),
            LinkedModelsJson = Json(p, "linkedModels"),
            LinkedDatasetsJson = Json(p, "linkedDatasets"),
            LinkedSpacesJson = Json(p, "linkedSpaces"),
            NumTotalModels = Int(p, "numTotalModels"),
            NumTotalDatasets = Int(p, "numTotalDatasets"),
            NumTotalSpaces = Int(p, "numTotalSpaces"),
            OrganizationJson = Json(p, "organization"),
            MediaUrlsJson = Json(p, "mediaUrls"),
        };
    }

    static DailyEntry ReadEntry(JsonElement e, JsonElement p, string id, DateOnly? fallbackDate)
    {
        var given = Str(e, "date");
        if (given is not null && Date(given) is null) throw new BadRecordException($"date '{Text.Clip(given)}' is not YYYY-MM-DD");
        var date = Date(given) ?? fallbackDate ?? Day(Text.Time(Str(p, "submittedOnDailyAt")))
            ?? Day(Text.Time(Str(e, "publishedAt"))) ?? throw new BadRecordException("no date for the entry");
        return new DailyEntry
        {
            Date = date,
            PaperId = id,
            PublishedAt = Text.Time(Str(e, "publishedAt")),
            // As sent: Hugging Face's own entry title is already on one line.
            Title = Str(e, "title")?.Trim() is { Length: > 0 } title ? title : null,
            // Cards show the thumbnail; 2024 lists called it mediaUrl, which is also kept as sent.
            Thumbnail = Str(e, "thumbnail") ?? Str(e, "mediaUrl"),
            MediaUrl = Str(e, "mediaUrl"),
            SubmittedByJson = Json(e, "submittedBy"),
            SubmitterOrganizationJson = Json(e, "submitterOrganization"),
            OrganizationJson = Json(e, "organization"),
            MediaUrlsJson = Json(e, "mediaUrls"),
            IsAuthorParticipating = e.TryGetProperty("isAuthorParticipating", out var b) && b.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? b.GetBoolean() : null,
        };
    }

    static DateOnly? Date(string? s) => s is not null && Period.TryParseDate(s, out var d) ? d : null;
    static DateOnly? Day(DateTime? t) => t is { } v ? DateOnly.FromDateTime(v) : null;

    internal static string? Str(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;

    internal static int? Int(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : null;

    /// <summary>A nested object or array, re-serialized compactly; null when absent or JSON null.</summary>
    internal static string? Json(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.Object or JsonValueKind.Array
            ? JsonSerializer.Serialize(v) : null;
}
