namespace DailyPapers.Digest;

public static class SubscriptionStatus
{
    public const string Pending = "pending";
    public const string Confirmed = "confirmed";
    public const string Unsubscribed = "unsubscribed";
}

/// <summary>Who gets a digest, how often, about what. Keyed by the lower-cased address.</summary>
public sealed class Subscription
{
    public long Id { get; set; }
    public required string Email { get; set; }
    public required string Status { get; set; }
    public required string Cadence { get; set; }
    public string TopicsJson { get; set; } = "{}";
    public byte[]? TopicVector { get; set; }
    public int Count { get; set; }
    public string? PendingJson { get; set; }
    public string? ConfirmNonce { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ConfirmedAt { get; set; }
    public DateTime? UnsubscribedAt { get; set; }
    public string? Failure { get; set; }
    public DateTime? FailedAt { get; set; }

    public Preferences Preferences => new(Cadence, Topics.FromJson(TopicsJson), Count);
}

public static class OutboxStatus
{
    public const string Pending = "pending";
    public const string Sending = "sending";
    public const string Sent = "sent";
    public const string Failed = "failed";
    /// <summary>Composed, then the subscriber left before it went out.</summary>
    public const string Cancelled = "cancelled";
}

/// <summary>A mail to send, durable until the server has accepted it. See migration 0004 for the key.</summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }
    public required string Key { get; set; }
    public required string Kind { get; set; }
    public long? SubscriptionId { get; set; }
    public long? UserId { get; set; }
    public required string Recipient { get; set; }
    public string? Period { get; set; }
    public string PaperIdsJson { get; set; } = "[]";
    public int Matched { get; set; }
    public int Picks { get; set; }
    public required string Status { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public DateTime? ClaimedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? SentAt { get; set; }
    public string? LastError { get; set; }
}

public sealed class DigestRun
{
    public required string Cadence { get; set; }
    public required string Period { get; set; }
    public DateTime ComposedAt { get; set; }
    public int Messages { get; set; }
}
