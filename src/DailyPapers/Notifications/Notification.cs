namespace DailyPapers.Notifications;

/// <summary>Something that happened for one account: a reply, a decision on a claim, new papers from its follows.</summary>
public sealed class Notification
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public required string Kind { get; set; }
    public required string Text { get; set; }
    /// <summary>A local path to what it is about.</summary>
    public required string Link { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ReadAt { get; set; }

    public const string Reply = "reply";
    public const string Claim = "claim";
    public const string Follows = "follows";
}
