namespace DailyPapers.Follows;

/// <summary>An author, arXiv category or keyword an account follows. Key: (UserId, Kind, Value).</summary>
public sealed class Follow
{
    public long UserId { get; set; }
    public required string Kind { get; set; }
    public required string Value { get; set; }
    public DateTime CreatedAt { get; set; }

    public static readonly string[] Kinds = ["author", "category", "keyword", "organization"];
}
