namespace DailyPapers.Comments;

/// <summary>A comment on a paper, possibly a reply. Its HTML is rendered and sanitised once, when it is written.</summary>
public sealed class Comment
{
    public long Id { get; set; }
    public required string PaperId { get; set; }
    public long UserId { get; set; }
    public long? ParentId { get; set; }
    public required string Body { get; set; }
    public required string Html { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? EditedAt { get; set; }
    public DateTime? DeletedAt { get; set; }
    public DateTime? HiddenAt { get; set; }
    public long? HiddenBy { get; set; }

    public bool Visible => DeletedAt is null && HiddenAt is null;

    /// <summary>Visible, as a query: not deleted by its author, not hidden by a moderator.</summary>
    public static readonly System.Linq.Expressions.Expression<Func<Comment, bool>> IsVisible = c => c.DeletedAt == null && c.HiddenAt == null;
}
