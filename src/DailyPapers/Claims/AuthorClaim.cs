namespace DailyPapers.Claims;

/// <summary>An account's claim to be one of a paper's authors, decided by an admin.</summary>
public sealed class AuthorClaim
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public required string PaperId { get; set; }
    public required string AuthorName { get; set; }
    public required string Status { get; set; }
    public DateTime CreatedAt { get; set; }
    public long? DecidedBy { get; set; }
    public DateTime? DecidedAt { get; set; }

    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Rejected = "rejected";
}
