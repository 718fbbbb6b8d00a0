namespace DailyPapers.Media;

/// <summary>
/// One thumbnail or remote copy and how fetching it went. Key: "thumbnail:{paper id}" for a rendered thumbnail, else
/// the SHA-256 of the source URL (MediaUrls.Key), so a URL is fetched once however many entries name it.
/// </summary>
public sealed class MediaItem
{
    public const string Stored = "stored";
    public const string Failed = "failed";
    public const string TooLarge = "too-large";

    public required string Key { get; set; }
    /// <summary>thumbnail, avatar, image or video.</summary>
    public required string Kind { get; set; }
    public required string SourceUrl { get; set; }
    /// <summary>What the stored bytes are, read from the bytes themselves; served exactly so.</summary>
    public string? ContentType { get; set; }
    public long Bytes { get; set; }
    public required string Status { get; set; }
    public DateTime FetchedAt { get; set; }
    public string? Error { get; set; }
}
