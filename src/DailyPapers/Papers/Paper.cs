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
            AuthorNames = string.Join(", ", AuthorList);
        }
    }

    string authorsJson = "[]";

    /// <summary>
    /// The visible authors' names, read from AuthorsJson once, so a page showing a paper that searches keep
    /// (Search/SearchRows) does not parse it again. EF sets the field, not the property, so it is read on first use;
    /// the text and its names are one object, swapped whole, since kept papers are read by several requests at once.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<string> AuthorList =>
        (authors is { } a && ReferenceEquals(a.Json, authorsJson) ? a : authors = new(authorsJson, PaperView.Names(authorsJson))).Names;

    sealed record ParsedAuthors(string Json, IReadOnlyList<string> Names);
    ParsedAuthors? authors;

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
    /// <summary>The model Hugging Face names as the author of ai_summary, when it says.</summary>
    public string? AiSummaryModel { get; set; }
    /// <summary>When Hugging Face marked the paper withdrawn, when it says.</summary>
    public DateTime? WithdrawnAt { get; set; }
    /// <summary>
    /// Hugging Face's models, datasets and Spaces citing the paper (JSON arrays, as its /api/papers/{id} sends them)
    /// and their totals; null when no import carried them.
    /// </summary>
    [JsonConverter(typeof(RawJsonConverter))]
    public string? LinkedModelsJson { get; set; }
    [JsonConverter(typeof(RawJsonConverter))]
    public string? LinkedDatasetsJson { get; set; }
    [JsonConverter(typeof(RawJsonConverter))]
    public string? LinkedSpacesJson { get; set; }
    public int? NumTotalModels { get; set; }
    public int? NumTotalDatasets { get; set; }
    public int? NumTotalSpaces { get; set; }
    [JsonConverter(typeof(RawJsonConverter))]
    public string? AiKeywordsJson { get; set; }
    /// <summary>
    /// Upvotes counted by Hugging Face when its list was imported (they only grow by merge). Never shown alone: what
    /// a reader sees is Counts.Upvotes, these plus the votes cast here.
    /// </summary>
    public int ImportedUpvotes { get; set; }
    /// <summary>Comments in the paper's Hugging Face discussion when imported: not here, so shown as such (Counts).</summary>
    public int ImportedComments { get; set; }
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
    /// <summary>
    /// Hidden by a moderator: gone from every reader-facing query (AppDb's "Hidden" filter). Exported, so a restored
    /// backup keeps it hidden; a re-import never changes it (PaperMerge leaves it alone).
    /// </summary>
    public DateTime? HiddenAt { get; set; }
    /// <summary>The numbers shown for this paper, everywhere: pages, cards, feeds, mails, Markdown and the API.</summary>
    [JsonIgnore]
    public PaperCounts Counts => new(ImportedUpvotes + LocalUpvotes, LocalComments, ImportedComments);
    /// <summary>When the community fields (upvotes, code, project page…) were read: the day of the Hugging Face list.</summary>
    public DateTime? SnapshotAt { get; set; }

    /// <summary>The title on one line, for plain text (Markdown, mail, logs); Title keeps arXiv's line breaks, as Hugging Face does.</summary>
    [JsonIgnore] public string DisplayTitle => Ingest.Text.Squash(Title) ?? Title;
    [JsonIgnore] public string AbsUrl => $"https://arxiv.org/abs/{Id}";
    [JsonIgnore] public string PdfUrl => $"https://arxiv.org/pdf/{Id}";
    [JsonIgnore] public IEnumerable<string> CategoryList => (Categories ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>
/// A paper's numbers, computed in this one place. Upvotes: Hugging Face's imported count plus the votes cast here.
/// Comments: those written here (the thread on the paper page) and those in its Hugging Face discussion, which this
/// hub cannot show, so pages say so and link there; Comments is the sum, for the API's numComments and trending.
/// </summary>
public readonly record struct PaperCounts(int Upvotes, int CommentsHere, int CommentsOnHuggingFace)
{
    public int Comments => CommentsHere + CommentsOnHuggingFace;
}
