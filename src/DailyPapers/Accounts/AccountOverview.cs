using DailyPapers.Data;
using DailyPapers.Digest;
using DailyPapers.Papers;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Accounts;

/// <summary>
/// What the account page shows of a reader's own things: recent upvotes, collections, follows, and the digest
/// subscription at the account's address (managed from here once the address is verified, without the mail).
/// </summary>
public sealed record AccountOverview(IReadOnlyList<Paper> Upvoted, int Collections, int Follows, Subscription? Digest, string? ManageDigest)
{
    const int Recent = 20;

    public static async Task<AccountOverview> LoadAsync(AppDb db, DigestLinks links, User user, CancellationToken ct)
    {
        var upvoted = await db.Votes.Where(v => v.UserId == user.Id).OrderByDescending(v => v.CreatedAt).Take(Recent)
            .Join(db.Papers, v => v.PaperId, p => p.Id, (v, p) => p).AsNoTracking().ToListAsync(ct);
        var collections = await db.Collections.CountAsync(c => c.UserId == user.Id, ct);
        var follows = await db.Follows.CountAsync(f => f.UserId == user.Id, ct);
        var digest = await db.Subscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.Email == user.Email, ct);
        // A verified address proves it is the reader's; the same signed link a digest carries opens its preferences.
        var manage = digest is not null && user.EmailConfirmed ? "/digest/preferences?token=" + Uri.EscapeDataString(links.ManageToken(digest.Id)) : null;
        return new AccountOverview(upvoted, collections, follows, digest, manage);
    }
}
