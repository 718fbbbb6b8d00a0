using System.Text.Json;
using DailyPapers.Data;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Accounts;

/// <summary>
/// `GET /account/export`: everything the hub keeps about one account, for its owner. Secrets are left out: no password
/// hash, no token hash or prefix, no session id; tokens and sessions are listed so the owner can see them. Papers a
/// moderator hid stay hidden here as on every reader-facing route: votes, bookmarks, claims and submissions of them
/// are left out, and the owner's comments on them keep their text without the paper's id (PaperHidden).
/// </summary>
public sealed record AccountData(
    AccountData.Profile Account, IReadOnlyList<AccountData.Voted> Votes, IReadOnlyList<AccountData.Written> Comments,
    IReadOnlyList<AccountData.Kept> Collections, IReadOnlyList<AccountData.Followed> Follows, IReadOnlyList<AccountData.Digest> Subscriptions,
    IReadOnlyList<AccountData.Token> Tokens, IReadOnlyList<AccountData.Signin> Sessions, IReadOnlyList<AccountData.Claimed> Claims,
    IReadOnlyList<AccountData.Reported> Reports, IReadOnlyList<AccountData.Submitted> Submissions, IReadOnlyList<AccountData.Told> Notifications)
{
    public sealed record Profile(long Id, string Email, string Name, string Role, bool EmailConfirmed, DateTime CreatedAt, DateTime? SuspendedAt, bool NotifyByMail);
    public sealed record Voted(string PaperId, DateTime CreatedAt);
    public sealed record Written(long Id, string? PaperId, bool PaperHidden, long? ParentId, string Body, DateTime CreatedAt, DateTime? EditedAt, DateTime? DeletedAt, DateTime? HiddenAt);
    public sealed record Kept(long Id, string Name, bool IsPublic, DateTime CreatedAt, IReadOnlyList<Voted> Papers);
    public sealed record Followed(string Kind, string Value, DateTime CreatedAt);
    public sealed record Digest(string Email, string Status, string Cadence, JsonElement Topics, int Count, DateTime CreatedAt, DateTime? ConfirmedAt, DateTime? UnsubscribedAt);
    public sealed record Token(string Name, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? RevokedAt);
    public sealed record Signin(DateTime CreatedAt, DateTime LastSeenAt, DateTime? RevokedAt, string? UserAgent);
    public sealed record Claimed(string PaperId, string AuthorName, string Status, DateTime CreatedAt, DateTime? DecidedAt);
    public sealed record Reported(string Kind, string? Target, string Reason, DateTime CreatedAt, DateTime? ClosedAt);
    public sealed record Submitted(string PaperId, DateOnly Date, DateTime CreatedAt);
    public sealed record Told(string Kind, string Text, string? Link, DateTime CreatedAt, DateTime? ReadAt);

    public static async Task<AccountData> LoadAsync(AppDb db, User u, CancellationToken ct)
    {
        var id = u.Id;
        var hidden = (await db.PapersIncludingHidden.Where(p => p.HiddenAt != null).Select(p => p.Id).ToListAsync(ct)).ToHashSet();
        var items = (await db.CollectionItems.AsNoTracking().Where(i => db.Collections.Any(c => c.Id == i.CollectionId && c.UserId == id))
            .OrderBy(i => i.AddedAt).ToListAsync(ct)).Where(i => !hidden.Contains(i.PaperId)).ToLookup(i => i.CollectionId, i => new Voted(i.PaperId, i.AddedAt));
        var topics = await db.Subscriptions.AsNoTracking().Where(s => s.Email == u.Email).ToListAsync(ct);
        return new AccountData(
            new Profile(u.Id, u.Email, u.Name, u.Role, u.EmailConfirmed, u.CreatedAt, u.SuspendedAt, u.NotifyByMail),
            (await db.Votes.Where(v => v.UserId == id).OrderBy(v => v.CreatedAt).Select(v => new Voted(v.PaperId, v.CreatedAt)).ToListAsync(ct))
                .Where(v => !hidden.Contains(v.PaperId)).ToList(),
            (await db.Comments.AsNoTracking().Where(c => c.UserId == id).OrderBy(c => c.Id).ToListAsync(ct))
                .Select(c => new Written(c.Id, hidden.Contains(c.PaperId) ? null : c.PaperId, hidden.Contains(c.PaperId), c.ParentId, c.Body, c.CreatedAt, c.EditedAt, c.DeletedAt, c.HiddenAt)).ToList(),
            (await db.Collections.AsNoTracking().Where(c => c.UserId == id).OrderBy(c => c.Id).ToListAsync(ct))
                .Select(c => new Kept(c.Id, c.Name, c.IsPublic, c.CreatedAt, [.. items[c.Id]])).ToList(),
            await db.Follows.Where(f => f.UserId == id).OrderBy(f => f.CreatedAt).Select(f => new Followed(f.Kind, f.Value, f.CreatedAt)).ToListAsync(ct),
            topics.Select(s => new Digest(s.Email, s.Status, s.Cadence, JsonDocument.Parse(s.TopicsJson).RootElement.Clone(), s.Count, s.CreatedAt, s.ConfirmedAt, s.UnsubscribedAt)).ToList(),
            await db.ApiTokens.Where(t => t.UserId == id).OrderBy(t => t.Id).Select(t => new Token(t.Name, t.CreatedAt, t.LastUsedAt, t.RevokedAt)).ToListAsync(ct),
            await db.Sessions.Where(s => s.UserId == id).OrderBy(s => s.CreatedAt).Select(s => new Signin(s.CreatedAt, s.LastSeenAt, s.RevokedAt, s.UserAgent)).ToListAsync(ct),
            (await db.AuthorClaims.Where(c => c.UserId == id).OrderBy(c => c.Id).Select(c => new Claimed(c.PaperId, c.AuthorName, c.Status, c.CreatedAt, c.DecidedAt)).ToListAsync(ct))
                .Where(c => !hidden.Contains(c.PaperId)).ToList(),
            (await db.Reports.Where(r => r.UserId == id).OrderBy(r => r.Id).Select(r => new Reported(r.Kind, r.Target, r.Reason, r.CreatedAt, r.ClosedAt)).ToListAsync(ct))
                .Select(r => r.Kind == "paper" && hidden.Contains(r.Target!) ? r with { Target = null } : r).ToList(),
            (await db.Submissions.Where(s => s.UserId == id).OrderBy(s => s.CreatedAt).Select(s => new Submitted(s.PaperId, s.Date, s.CreatedAt)).ToListAsync(ct))
                .Where(s => !hidden.Contains(s.PaperId)).ToList(),
            (await db.Notifications.Where(n => n.UserId == id).OrderBy(n => n.Id).Select(n => new Told(n.Kind, n.Text, n.Link, n.CreatedAt, n.ReadAt)).ToListAsync(ct))
                .Select(n => hidden.Any(h => Names(n.Link!, h)) ? n with { Link = null } : n).ToList());
    }

    // Links are local paths (/papers/{id}#c12, /papers/{id}/claim): the id ends the path or a segment.
    static bool Names(string link, string paper) =>
        link.StartsWith($"/papers/{paper}", StringComparison.Ordinal) && (link.Length == paper.Length + 8 || link[paper.Length + 8] is '#' or '?' or '/');
}
