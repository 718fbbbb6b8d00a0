namespace DailyPapers.Submissions;

/// <summary>A paper put on a day's list by an account. Key: (PaperId, Date).</summary>
public sealed class Submission
{
    public required string PaperId { get; set; }
    public DateOnly Date { get; set; }
    public long UserId { get; set; }
    public long? CommentId { get; set; }
    public DateTime CreatedAt { get; set; }
}
