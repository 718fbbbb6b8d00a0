using System.Text.Json.Serialization;
using DailyPapers.Ingest;

namespace DailyPapers.Feed;

/// <summary>A paper featured on a given day, as Hugging Face's daily list does it. Key: (Date, PaperId).</summary>
public sealed class DailyEntry
{
    public DateOnly Date { get; set; }
    public required string PaperId { get; set; }
    /// <summary>When the paper was put on the daily list.</summary>
    public DateTime? PublishedAt { get; set; }
    public string? Title { get; set; }
    public string? Thumbnail { get; set; }
    [JsonConverter(typeof(RawJsonConverter))]
    public string? SubmittedByJson
    {
        get => submittedByJson;
        set
        {
            submittedByJson = value;
            Submitter = Papers.PaperView.Field(value, "name");
        }
    }

    string? submittedByJson;

    /// <summary>The submitter's user name ("name" in submittedBy), stored for submitter=; always derived from SubmittedByJson.</summary>
    [JsonIgnore]
    public string? Submitter { get; private set; }
    /// <summary>Hugging Face's organisation of the submitter, when it sent one.</summary>
    [JsonConverter(typeof(RawJsonConverter))]
    public string? SubmitterOrganizationJson { get; set; }
    /// <summary>Hugging Face's earlier name for the thumbnail (2024 lists), kept as sent.</summary>
    public string? MediaUrl { get; set; }
    [JsonConverter(typeof(RawJsonConverter))]
    public string? OrganizationJson { get; set; }
    [JsonConverter(typeof(RawJsonConverter))]
    public string? MediaUrlsJson { get; set; }
    public bool? IsAuthorParticipating { get; set; }
    /// <summary>Order within the day in the source; breaks upvote ties so a day's order is stable.</summary>
    public int Position { get; set; }
}
