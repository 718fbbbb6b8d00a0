using System.Text.Json;
using System.Text.Json.Serialization;
using DailyPapers.Feed;

namespace DailyPapers.Papers;

/// <summary>A paper as Hugging Face's API shapes it (/api/papers/{id}), plus arXiv fields of ours after "version".</summary>
public sealed record ApiPaper
{
    public required string Id { get; init; }
    public JsonElement Authors { get; init; }
    public DateTime? PublishedAt { get; init; }
    public DateTime? SubmittedOnDailyAt { get; init; }
    public JsonElement? SubmittedOnDailyBy { get; init; }
    public required string Title { get; init; }
    public required string Summary { get; init; }
    public int Upvotes { get; init; }
    public string? DiscussionId { get; init; }
    public string? GithubRepo { get; init; }
    public int? GithubStars { get; init; }
    public string? GithubRepoAddedBy { get; init; }
    public string? ProjectPage { get; init; }
    [JsonPropertyName("ai_summary")] public string? AiSummary { get; init; }
    [JsonPropertyName("ai_keywords")] public JsonElement? AiKeywords { get; init; }
    public JsonElement? Organization { get; init; }
    public JsonElement? MediaUrls { get; init; }
    public int NumComments { get; init; }
    public int? Version { get; init; }
    public DateTime? UpdatedAt { get; init; }
    public string[]? Categories { get; init; }
    public string? PrimaryCategory { get; init; }
    public string? Comments { get; init; }
    public string? JournalRef { get; init; }
    public string? Doi { get; init; }
    public required string ArxivUrl { get; init; }
    public required string PdfUrl { get; init; }

    public static ApiPaper From(Paper p) => new()
    {
        Id = p.Id,
        Authors = Json(p.AuthorsJson) ?? JsonSerializer.SerializeToElement(Array.Empty<object>()),
        PublishedAt = p.PublishedAt,
        SubmittedOnDailyAt = p.SubmittedOnDailyAt,
        SubmittedOnDailyBy = Json(p.SubmittedOnDailyByJson),
        Title = p.Title,
        Summary = p.Summary,
        Upvotes = p.Counts.Upvotes,
        DiscussionId = p.DiscussionId,
        GithubRepo = p.GithubRepo,
        GithubStars = p.GithubStars,
        GithubRepoAddedBy = p.GithubRepoAddedBy,
        ProjectPage = p.ProjectPage,
        AiSummary = p.AiSummary,
        AiKeywords = Json(p.AiKeywordsJson),
        Organization = Json(p.OrganizationJson),
        MediaUrls = Json(p.MediaUrlsJson),
        NumComments = p.Counts.Comments,
        Version = p.Version,
        UpdatedAt = p.UpdatedAt,
        Categories = p.Categories is null ? null : p.CategoryList.ToArray(),
        PrimaryCategory = p.PrimaryCategory,
        Comments = p.Comments,
        JournalRef = p.JournalRef,
        Doi = p.Doi,
        ArxivUrl = p.AbsUrl,
        PdfUrl = p.PdfUrl,
    };

    internal static JsonElement? Json(string? s) => s is null ? null : JsonSerializer.Deserialize<JsonElement>(s);
}

/// <summary>An entry of /api/daily_papers, shaped like Hugging Face's.</summary>
public sealed record ApiDailyEntry
{
    public required ApiPaper Paper { get; init; }
    public DateTime? PublishedAt { get; init; }
    public required string Title { get; init; }
    public required string Summary { get; init; }
    public string? Thumbnail { get; init; }
    public JsonElement? MediaUrls { get; init; }
    public int NumComments { get; init; }
    public JsonElement? SubmittedBy { get; init; }
    public JsonElement? Organization { get; init; }
    public bool? IsAuthorParticipating { get; init; }
    /// <summary>The day the paper was featured (ours; Hugging Face leaves it implicit in the request).</summary>
    public DateOnly Date { get; init; }

    public static ApiDailyEntry From(FeedItem item) => new()
    {
        Paper = ApiPaper.From(item.Paper),
        PublishedAt = item.Entry.PublishedAt,
        Title = item.Entry.Title ?? item.Paper.Title,
        Summary = item.Paper.Summary,
        Thumbnail = item.Entry.Thumbnail,
        MediaUrls = ApiPaper.Json(item.Entry.MediaUrlsJson),
        NumComments = item.Paper.Counts.Comments,
        SubmittedBy = ApiPaper.Json(item.Entry.SubmittedByJson),
        Organization = ApiPaper.Json(item.Entry.OrganizationJson),
        IsAuthorParticipating = item.Entry.IsAuthorParticipating,
        Date = item.Entry.Date,
    };
}

public sealed record ApiError(string Error);

public sealed record ApiStats(int Papers, int DailyEntries, int Dates, DateOnly? FirstDate, DateOnly? LastDate, int Embedded);
