using System.Security.Cryptography;
using DailyPapers.Data;
using DailyPapers.Digest;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Accounts;

/// <summary>
/// An owner deleting their account, in one transaction. What is theirs alone goes: votes (each paper's count drops
/// with them), collections, follows, claims, notifications. Comments stay in their threads, so replies keep their
/// place, but lose their text and show as "[deleted]", as a comment its author deletes does. The digest at their
/// address is ended as its unsubscribe link ends it; sessions and tokens are revoked. The account row stays as a
/// nameless tombstone (no address, name or password) because comments, submissions and moderators' decisions refer
/// to it by id.
/// </summary>
public static class AccountDeletion
{
    public const string DeletedName = "[deleted]";

    /// <summary>Null when done, else why not (the last admin cannot leave the hub without one).</summary>
    public static async Task<string?> DeleteAsync(AppDb db, SessionService sessions, User user, DateTime now, CancellationToken ct)
    {
        if (user.Role == Roles.Admin && !await db.Users.AnyAsync(u => u.Id != user.Id && u.Role == Roles.Admin && u.SuspendedAt == null, ct))
            return "You are the hub's only admin: make another account admin first (on /admin), then delete this one.";
        var id = user.Id;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var papers = await db.Votes.Where(v => v.UserId == id).Select(v => v.PaperId)
            .Union(db.Comments.Where(c => c.UserId == id).Select(c => c.PaperId)).ToListAsync(ct);
        await db.Votes.Where(v => v.UserId == id).ExecuteDeleteAsync(ct);
        await db.Comments.Where(c => c.UserId == id).ExecuteUpdateAsync(u => u
            .SetProperty(c => c.Body, "").SetProperty(c => c.Html, "").SetProperty(c => c.DeletedAt, c => c.DeletedAt ?? now), ct);
        await Votes.TrendingScores.RecountAsync(db, papers, now, ct);
        await db.CollectionItems.Where(i => db.Collections.Any(c => c.Id == i.CollectionId && c.UserId == id)).ExecuteDeleteAsync(ct);
        await db.Collections.Where(c => c.UserId == id).ExecuteDeleteAsync(ct);
        await db.Follows.Where(f => f.UserId == id).ExecuteDeleteAsync(ct);
        await db.AuthorClaims.Where(c => c.UserId == id).ExecuteDeleteAsync(ct);
        await db.Notifications.Where(n => n.UserId == id).ExecuteDeleteAsync(ct);
        await EndMailAsync(db, user, now, ct);
        await db.ApiTokens.Where(t => t.UserId == id && t.RevokedAt == null).ExecuteUpdateAsync(u => u.SetProperty(t => t.RevokedAt, now), ct);
        await sessions.RevokeAllAsync(id, except: null, ct);
        await TombstoneAsync(db, id, now, ct);
        await tx.CommitAsync(ct);
        return null;
    }

    // The subscription row keeps its address, as after any unsubscribe: it is how the hub knows not to mail it.
    static async Task EndMailAsync(AppDb db, User user, DateTime now, CancellationToken ct)
    {
        var email = user.Email;
        var ended = db.Subscriptions.Where(s => s.Email == email && s.Status != SubscriptionStatus.Unsubscribed);
        await db.Outbox.Where(m => m.Status == OutboxStatus.Pending && (m.UserId == user.Id || ended.Any(s => s.Id == m.SubscriptionId)))
            .ExecuteUpdateAsync(u => u.SetProperty(m => m.Status, OutboxStatus.Cancelled), ct);
        await ended.ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, SubscriptionStatus.Unsubscribed).SetProperty(s => s.UnsubscribedAt, now)
            .SetProperty(s => s.PendingJson, (string?)null).SetProperty(s => s.ConfirmNonce, (string?)null), ct);
    }

    // "invalid" is a reserved top-level domain: the placeholder can never be anyone's address, and the real one is
    // free to sign up again. An empty password hash matches no password; the suspension stops anything left.
    static Task TombstoneAsync(AppDb db, long id, DateTime now, CancellationToken ct) =>
        db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(u => u
            .SetProperty(x => x.Email, $"deleted-{id}@invalid").SetProperty(x => x.Name, DeletedName).SetProperty(x => x.PasswordHash, "")
            .SetProperty(x => x.SecurityStamp, Convert.ToHexString(RandomNumberGenerator.GetBytes(16))).SetProperty(x => x.Role, Roles.Member)
            .SetProperty(x => x.EmailConfirmed, false).SetProperty(x => x.NotifyByMail, false).SetProperty(x => x.SuspendedAt, now)
            .SetProperty(x => x.FailedLogins, 0).SetProperty(x => x.LockedUntil, (DateTime?)null).SetProperty(x => x.FollowsSeenUntil, (DateOnly?)null), ct);
}
