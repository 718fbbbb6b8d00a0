using System.Text.Json.Serialization;
using DailyPapers.Ingest;

namespace DailyPapers.Papers;

/// <summary>A paper, keyed by its arXiv id without version. Nested Hugging Face objects are kept as JSON text.</summary>
public sealed class Paper
{
    public required string Id { get; set; }
    /// <summary>Latest arXiv version known (null when the source did not say, e.g. Hugging Face).</summary>
    public int? Version { get; set; }
    public required string Title { get; set; }
    public string Summary { get; set; } = "";
    /// <summary>JSON array of author objects, each with at least a "name".</summary>
    [JsonConverter(typeof(RawJsonConverter))]
    public string AuthorsJson
    {
        get => authorsJson;
        set
        {
            authorsJson = value;
            AuthorNames = string.Join(", ", PaperView.Names(value));
        }
    }

    string authorsJson = "[]";

    /// <summary>The visible authors' names, stored for the keyword index; always derived from AuthorsJson.</summary>
    [JsonIgnore]
    public string AuthorNames { get; private set; } = "";
    /// <summary>First arXiv version's date.</summary>
    public DateTime? PublishedAt { get; set; }
    /// <summary>Latest arXiv version's date.</summary>
    public DateTime? UpdatedAt { get; set; }
    /// <summary>Space-separated arXiv categories, primary first.</summary>
    public string? Categories { get; set; }
    public string? PrimaryCategory { get; set; }
    public string? Comments { get; set; }
    public string? JournalRef { get; set; }
    public string? Doi { get; set; }
    public string? License { get; set; }
    public string? GithubRepo { get; set; }
    public int? GithubStars { get; set; }
    public string? GithubRepoAddedBy { get; set; }
    public string? ProjectPage { get; set; }
    public string? AiSummary { get; set; }
    [JsonConverter(typeof(RawJsonConverter))]
    public string? AiKeywordsJson { get; set; }
    public int Upvotes { get; set; }
    public int NumComments { get; set; }
    public string? DiscussionId { get; set; }
    public DateTime? SubmittedOnDailyAt { get; set; }
    [JsonConverter(typeof(RawJsonConverter))]
    public string? SubmittedOnDailyByJson { get; set; }
    [JsonConverter(typeof(RawJsonConverter))]
    public string? OrganizationJson { get; set; }
    [JsonConverter(typeof(RawJsonConverter))]
    public string? MediaUrlsJson { get; set; }
    /// <summary>Upvotes cast on this hub, apart from the imported count (which only grows by merge).</summary>
    [JsonIgnore]
    public int LocalUpvotes { get; set; }
    /// <summary>Comments written on this hub, apart from the imported count.</summary>
    [JsonIgnore]
    public int LocalComments { get; set; }
    /// <summary>The stored trending score (Votes/Trending.cs), and when it was computed.</summary>
    [JsonIgnore]
    public double Trending { get; set; }
    [JsonIgnore]
    public DateTime? TrendingAt { get; set; }
    /// <summary>Hidden by a moderator: out of every list, search and feed.</summary>
    [JsonIgnore]
    public DateTime? HiddenAt { get; set; }
    [JsonIgnore]
    public int TotalUpvotes => Upvotes + LocalUpvotes;
    [JsonIgnore]
    public int TotalComments => NumComments + LocalComments;
    /// <summary>When the community fields (upvotes, code, project page…) were read: the day of the Hugging Face list.</summary>
    public DateTime? SnapshotAt { get; set; }

    [JsonIgnore] public string AbsUrl => $"https://arxiv.org/abs/{Id}";
    [JsonIgnore] public string PdfUrl => $"https://arxiv.org/pdf/{Id}";
    [JsonIgnore] public IEnumerable<string> CategoryList => (Categories ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
