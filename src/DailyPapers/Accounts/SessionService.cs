using System.Security.Claims;
using System.Security.Cryptography;
using DailyPapers.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Accounts;

/// <summary>
/// Sessions as rows (migration 0006). Signing in writes one and puts its id in the cookie; every request checks the
/// row, so signing out, "sign out everywhere", a password change or a suspension end a session for good, even for
/// someone holding a copy of the cookie, and on every instance that shares the database.
/// </summary>
public sealed class SessionService(AppDb db, TimeProvider clock)
{
    public const string Claim = "sid";
    /// <summary>A session unused this long is over (the cookie's own lifetime slides the same way).</summary>
    public static readonly TimeSpan Idle = TimeSpan.FromDays(30);
    // Sliding expiry without a write per request: last_seen_at moves at most once an hour.
    static readonly TimeSpan TouchEvery = TimeSpan.FromHours(1);

    DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task SignInAsync(HttpContext context, User user, string? sessionId = null)
    {
        if (sessionId is null)
        {
            // Signing in again (or as someone else) in a browser ends the session its cookie named, and an account's
            // sessions that ended long ago are cleared: the table holds what can still matter.
            await RevokeAsync(IdOf(context.User), context.RequestAborted);
            var old = Now - 2 * Idle;
            await db.Sessions.Where(s => s.UserId == user.Id && (s.RevokedAt < old || s.LastSeenAt < old)).ExecuteDeleteAsync(context.RequestAborted);
            sessionId = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
            var agent = context.Request.Headers.UserAgent.ToString();
            db.Sessions.Add(new Session { Id = sessionId, UserId = user.Id, CreatedAt = Now, LastSeenAt = Now, UserAgent = agent.Length > 200 ? agent[..200] : agent });
            await db.SaveChangesAsync(context.RequestAborted);
        }
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            AccountService.Principal(user, CookieAuthenticationDefaults.AuthenticationScheme, sessionId));
    }

    /// <summary>Whether the cookie's session is still alive for this account; touches it for the sliding expiry.</summary>
    public async Task<bool> IsAliveAsync(string? sessionId, long userId, CancellationToken ct = default)
    {
        if (sessionId is null) return false;
        var session = await db.Sessions.FindAsync([sessionId], ct);
        if (session is null || session.UserId != userId || session.RevokedAt is not null || session.LastSeenAt < Now - Idle) return false;
        if (session.LastSeenAt < Now - TouchEvery)
        {
            session.LastSeenAt = Now;
            // Best effort: a database busy with a long import must not turn a page view into an error.
            try { await db.SaveChangesAsync(ct); }
            catch (Exception ex) when (ex is DbUpdateException or System.Data.Common.DbException) { db.ChangeTracker.Clear(); }
        }
        return true;
    }

    public static string? IdOf(ClaimsPrincipal user) => user.FindFirstValue(Claim);

    public Task<int> RevokeAsync(string? sessionId, CancellationToken ct = default) =>
        db.Sessions.Where(s => s.Id == sessionId && s.RevokedAt == null).ExecuteUpdateAsync(u => u.SetProperty(s => s.RevokedAt, Now), ct);

    /// <summary>Ends every session of the account but one (none when except is null); returns how many ended.</summary>
    public Task<int> RevokeAllAsync(long userId, string? except, CancellationToken ct = default) =>
        db.Sessions.Where(s => s.UserId == userId && s.RevokedAt == null && s.Id != except).ExecuteUpdateAsync(u => u.SetProperty(s => s.RevokedAt, Now), ct);

    public Task<List<Session>> ActiveAsync(long userId, CancellationToken ct = default)
    {
        var since = Now - Idle;
        return db.Sessions.AsNoTracking().Where(s => s.UserId == userId && s.RevokedAt == null && s.LastSeenAt >= since)
            .OrderByDescending(s => s.LastSeenAt).ToListAsync(ct);
    }
}
