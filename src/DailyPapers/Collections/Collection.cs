namespace DailyPapers.Collections;

/// <summary>A named list of papers an account keeps; private unless IsPublic.</summary>
public sealed class Collection
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public required string Name { get; set; }
    public bool IsPublic { get; set; }
    public DateTime CreatedAt { get; set; }
}

public sealed class CollectionItem
{
    public long CollectionId { get; set; }
    public required string PaperId { get; set; }
    public DateTime AddedAt { get; set; }
}
