namespace DailyPapers.Comments;

/// <summary>A reader's report of a paper or a comment, open until a moderator closes it.</summary>
public sealed class Report
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public required string Kind { get; set; }
    public required string Target { get; set; }
    public required string Reason { get; set; }
    public DateTime CreatedAt { get; set; }
    public long? ClosedBy { get; set; }
    public DateTime? ClosedAt { get; set; }
}
