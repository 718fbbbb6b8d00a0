namespace DailyPapers.Votes;

/// <summary>One account's upvote of one paper; the key (user, paper) makes a second one impossible.</summary>
public sealed class Vote
{
    public long UserId { get; set; }
    public required string PaperId { get; set; }
    public DateTime CreatedAt { get; set; }
}
