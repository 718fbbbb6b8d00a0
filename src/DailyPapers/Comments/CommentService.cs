using DailyPapers.Accounts;
using DailyPapers.Data;
using DailyPapers.Votes;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Comments;

public enum CommentError { None, NotFound, Forbidden, Invalid }

public sealed record CommentView(long Id, long? ParentId, string Author, string Html, DateTime CreatedAt, DateTime? EditedAt, bool Removed);

/// <summary>
/// Write, edit and delete own comments; moderators hide. The paper's comment count and trending score change in the
/// same transaction as the comment, and only for comments that are visible.
/// </summary>
public sealed class CommentService(AppDb db, TimeProvider clock)
{
    DateTime Now => clock.GetUtcNow().UtcDateTime;

    public static bool TryBody(string? body, out string clean, out string error)
    {
        clean = (body ?? "").Trim();
        error = clean.Length == 0 ? "the comment is empty"
            : clean.Length > CommentMarkdown.MaxLength ? $"a comment may have at most {CommentMarkdown.MaxLength} characters"
            : "";
        return error.Length == 0;
    }

    public async Task<(Comment? Comment, CommentError Error, string Message)> AddAsync(User user, string paperId, long? parentId, string body, CancellationToken ct = default)
    {
        if (!TryBody(body, out var clean, out var error)) return (null, CommentError.Invalid, error);
        if (!await db.Papers.AnyAsync(p => p.Id == paperId, ct)) return (null, CommentError.NotFound, $"no paper {paperId}");
        // A reply needs a visible parent: not one its author deleted, nor one a moderator hid.
        if (parentId is { } pid && !await db.Comments.Where(Comment.IsVisible).AnyAsync(c => c.Id == pid && c.PaperId == paperId, ct))
            return (null, CommentError.Invalid, $"parentId {pid} is not a comment on this paper");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var comment = new Comment { PaperId = paperId, UserId = user.Id, ParentId = parentId, Body = clean, Html = CommentMarkdown.ToHtml(clean), CreatedAt = Now };
        db.Comments.Add(comment);
        await db.SaveChangesAsync(ct);
        await NotifyParentAsync(user, comment, ct);
        await CountAsync(paperId, +1, ct);
        await tx.CommitAsync(ct);
        return (comment, CommentError.None, "");
    }

    // In the comment's transaction: the reply and its notification appear together or not at all.
    async Task NotifyParentAsync(User user, Comment reply, CancellationToken ct)
    {
        if (reply.ParentId is not { } parent) return;
        var author = await db.Comments.Where(c => c.Id == parent).Select(c => c.UserId).SingleAsync(ct);
        if (author == user.Id) return;
        var title = await db.Papers.Where(p => p.Id == reply.PaperId).Select(p => p.Title).SingleAsync(ct);
        await Notifications.NotificationService.AddAsync(db, author, Notifications.Notification.Reply, $"{user.Name} replied to your comment on “{Ingest.Text.Squash(title)}”.",
            $"/papers/{reply.PaperId}#c{reply.Id}", Now, ct);
    }

    public async Task<(CommentError Error, string Message)> EditAsync(User user, long id, string body, CancellationToken ct = default)
    {
        if (!TryBody(body, out var clean, out var error)) return (CommentError.Invalid, error);
        var comment = await db.Comments.FindAsync([id], ct);
        if (comment is null || !comment.Visible) return (CommentError.NotFound, $"no comment {id}");
        if (comment.UserId != user.Id) return (CommentError.Forbidden, "only its author can edit a comment");
        (comment.Body, comment.Html, comment.EditedAt) = (clean, CommentMarkdown.ToHtml(clean), Now);
        await db.SaveChangesAsync(ct);
        return (CommentError.None, "");
    }

    /// <summary>Delete (the author) or hide (a moderator): the comment leaves the count either way; replies stay.</summary>
    public async Task<(CommentError Error, string Message)> RemoveAsync(User user, long id, bool hide, CancellationToken ct = default)
    {
        var comment = await db.Comments.FindAsync([id], ct);
        if (comment is null || !comment.Visible) return (CommentError.NotFound, $"no comment {id}");
        if (hide ? !user.IsModerator : comment.UserId != user.Id && !user.IsModerator)
            return (CommentError.Forbidden, hide ? "only moderators hide comments" : "only its author or a moderator can delete a comment");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (hide) (comment.HiddenAt, comment.HiddenBy) = (Now, user.Id);
        else comment.DeletedAt = Now;
        await db.SaveChangesAsync(ct);
        await CountAsync(comment.PaperId, -1, ct);
        await tx.CommitAsync(ct);
        return (CommentError.None, "");
    }

    async Task CountAsync(string paperId, int delta, CancellationToken ct)
    {
        // Bookkeeping, not reading: a comment removed while its paper is hidden must leave the count, so a restored
        // paper shows the comments it has.
        await db.PapersIncludingHidden.Where(p => p.Id == paperId).ExecuteUpdateAsync(u => u.SetProperty(p => p.LocalComments, p => p.LocalComments + delta), ct);
        await TrendingScores.RefreshAsync(db, [paperId], Now, ct);
    }

    /// <summary>A paper's thread, oldest first; removed comments keep their place (replies hang off them) without text.</summary>
    public async Task<List<CommentView>> ThreadAsync(string paperId, CancellationToken ct = default) =>
        (await db.Comments.AsNoTracking().Where(c => c.PaperId == paperId).OrderBy(c => c.Id)
            .Join(db.Users, c => c.UserId, u => u.Id, (c, u) => new { c, u.Name }).ToListAsync(ct))
        .Select(x => x.c.Visible
            ? new CommentView(x.c.Id, x.c.ParentId, x.Name, x.c.Html, x.c.CreatedAt, x.c.EditedAt, false)
            : new CommentView(x.c.Id, x.c.ParentId, "", x.c.HiddenAt is null ? "<p>[deleted]</p>" : "<p>[hidden by a moderator]</p>", x.c.CreatedAt, null, true))
        .ToList();
}
