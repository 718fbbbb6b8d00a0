namespace DailyPapers.Accounts;

/// <summary>A signed-in browser. The session cookie carries its id; the row, not the cookie, says whether it is alive.</summary>
public sealed class Session
{
    public required string Id { get; set; }
    public long UserId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime LastSeenAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public string? UserAgent { get; set; }
}
