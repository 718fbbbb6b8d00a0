using System.Text.Json;
using System.Text.Json.Serialization;
using DailyPapers.Feed;

namespace DailyPapers.Papers;

/// <summary>
/// A paper as Hugging Face's API shapes it (/api/papers/{id}), plus arXiv fields of ours after "numTotalSpaces".
/// arXiv's comment line is "arxivComment": huggingface_hub reads "comments" as a count (PaperInfo.comments).
/// </summary>
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
    [JsonPropertyName("ai_summary_model")] public string? AiSummaryModel { get; init; }
    public JsonElement? Organization { get; init; }
    public JsonElement? MediaUrls { get; init; }
    public DateTime? WithdrawnAt { get; init; }
    public int NumComments { get; init; }
    /// <summary>Models, datasets and Spaces citing the paper, as Hugging Face sent them; empty (and 0) when none came.</summary>
    public JsonElement LinkedModels { get; init; }
    public JsonElement LinkedDatasets { get; init; }
    public JsonElement LinkedSpaces { get; init; }
    public int NumTotalModels { get; init; }
    public int NumTotalDatasets { get; init; }
    public int NumTotalSpaces { get; init; }
    public int? Version { get; init; }
    public DateTime? UpdatedAt { get; init; }
    public string[]? Categories { get; init; }
    public string? PrimaryCategory { get; init; }
    public string? ArxivComment { get; init; }
    public string? JournalRef { get; init; }
    public string? Doi { get; init; }
    public required string ArxivUrl { get; init; }
    public required string PdfUrl { get; init; }

    public static ApiPaper From(Paper p) => new()
    {
        Id = p.Id,
        Authors = Json(p.AuthorsJson) ?? Empty,
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
        AiSummaryModel = p.AiSummaryModel,
        Organization = Json(p.OrganizationJson),
        MediaUrls = Json(p.MediaUrlsJson),
        WithdrawnAt = p.WithdrawnAt,
        NumComments = p.Counts.Comments,
        LinkedModels = Json(p.LinkedModelsJson) ?? Empty,
        LinkedDatasets = Json(p.LinkedDatasetsJson) ?? Empty,
        LinkedSpaces = Json(p.LinkedSpacesJson) ?? Empty,
        NumTotalModels = p.NumTotalModels ?? 0,
        NumTotalDatasets = p.NumTotalDatasets ?? 0,
        NumTotalSpaces = p.NumTotalSpaces ?? 0,
        Version = p.Version,
        UpdatedAt = p.UpdatedAt,
        Categories = p.Categories is null ? null : p.CategoryList.ToArray(),
        PrimaryCategory = p.PrimaryCategory,
        ArxivComment = p.Comments,
        JournalRef = p.JournalRef,
        Doi = p.Doi,
        ArxivUrl = p.AbsUrl,
        PdfUrl = p.PdfUrl,
    };

    static readonly JsonElement Empty = JsonSerializer.SerializeToElement(Array.Empty<object>());

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
    /// <summary>The thumbnail's name in Hugging Face's 2024 lists, served when an import carried it.</summary>
    public string? MediaUrl { get; init; }
    public JsonElement? MediaUrls { get; init; }
    public int NumComments { get; init; }
    public JsonElement? SubmittedBy { get; init; }
    public JsonElement? SubmitterOrganization { get; init; }
    public JsonElement? Organization { get; init; }
    public bool? IsAuthorParticipating { get; init; }
    /// <summary>The day the paper was featured (ours; Hugging Face leaves it implicit in the request).</summary>
    public DateOnly Date { get; init; }

    public static ApiDailyEntry From(FeedItem item) => new()
    {
        Paper = ApiPaper.From(item.Paper),
        PublishedAt = item.Entry.PublishedAt,
        Title = item.Entry.Title ?? item.Paper.DisplayTitle, // Hugging Face's entry title is on one line
        Summary = item.Paper.Summary,
        Thumbnail = item.Entry.Thumbnail,
        MediaUrl = item.Entry.MediaUrl,
        MediaUrls = ApiPaper.Json(item.Entry.MediaUrlsJson),
        NumComments = item.Paper.Counts.Comments,
        SubmittedBy = ApiPaper.Json(item.Entry.SubmittedByJson),
        SubmitterOrganization = ApiPaper.Json(item.Entry.SubmitterOrganizationJson),
        Organization = ApiPaper.Json(item.Entry.OrganizationJson),
        IsAuthorParticipating = item.Entry.IsAuthorParticipating,
        Date = item.Entry.Date,
    };
}

public sealed record ApiError(string Error);

public sealed record ApiStats(int Papers, int DailyEntries, int Dates, DateOnly? FirstDate, DateOnly? LastDate, int Embedded);
