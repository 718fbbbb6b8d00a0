using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using DailyPapers.Data;
using DailyPapers.Digest;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Accounts;

public enum SignInResult { Ok, Wrong, Locked, Suspended }

/// <summary>
/// Sign-up, sign-in with lockout, email verification and password reset by mail, API tokens. Passwords are hashed
/// by ASP.NET Core Identity's PasswordHasher (PBKDF2, per-password salt). Answers never say whether an address has
/// an account: sign-up and reset look the same either way, and the mail tells the owner what happened.
/// </summary>
public sealed class AccountService(AppDb db, AccountTokens tokens, SessionService sessions, OutboxSignal signal, TimeProvider clock)
{
    static readonly PasswordHasher<User> Hasher = new();

    DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>
    /// Creates the account and queues a verification mail; an address already taken gets a notice instead, and so
    /// does every sign-up of a new address but one when several arrive at once (the unique key decides, on any
    /// engine). The first account of the hub is its admin unless a role is given: of any number of sign-ups on an
    /// empty hub, exactly one inserts the first_account row.
    /// </summary>
    public async Task<User?> SignUpAsync(string email, string name, string password, string? role = null, CancellationToken ct = default)
    {
        if (await db.Users.AnyAsync(u => u.Email == email, ct)) return await KnownAddressAsync(email, ct);
        var user = new User { Email = email, Name = name, PasswordHash = "", SecurityStamp = NewStamp(), CreatedAt = Now, Role = role ?? Roles.Member };
        user.PasswordHash = Hasher.HashPassword(user, password);
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            db.Users.Add(user);
            await db.SaveChangesAsync(ct);
            var first = await db.Database.ExecuteSqlAsync($"INSERT INTO first_account (slot, user_id) VALUES (1, {user.Id}) ON CONFLICT DO NOTHING", ct) == 1;
            if (first && role is null) user.Role = Roles.Admin;
            QueueMail("verify", email, user, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (!await db.Users.AnyAsync(u => u.Email == email, ct)) throw;
            return await KnownAddressAsync(email, ct);
        }
        signal.Wake();
        return user;
    }

    async Task<User?> KnownAddressAsync(string email, CancellationToken ct)
    {
        QueueMail("account-exists", email, null, ct);
        await db.SaveChangesAsync(ct);
        signal.Wake();
        return null;
    }

    public async Task<(SignInResult Result, User? User)> SignInAsync(string email, string password, CancellationToken ct = default)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Email == email, ct);
        if (user is null)
        {
            // The same work as a wrong password, so timing does not tell whether the address has an account.
            Hasher.VerifyHashedPassword(Dummy, Dummy.PasswordHash, password);
            return (SignInResult.Wrong, null);
        }
        if (user.LockedUntil > Now) return (SignInResult.Locked, null);
        if (Hasher.VerifyHashedPassword(user, user.PasswordHash, password) == PasswordVerificationResult.Failed)
        {
            (user.FailedLogins, user.LockedUntil) = AccountRules.AfterFailure(user.FailedLogins, Now);
            await db.SaveChangesAsync(ct);
            return (user.LockedUntil is null ? SignInResult.Wrong : SignInResult.Locked, null);
        }
        if (user.SuspendedAt is not null) return (SignInResult.Suspended, null);
        (user.FailedLogins, user.LockedUntil) = (0, null);
        await db.SaveChangesAsync(ct);
        return (SignInResult.Ok, user);
    }

    static readonly User Dummy = new() { Email = "", Name = "", PasswordHash = Hasher.HashPassword(null!, "not a password at all"), Role = Roles.Member, SecurityStamp = "" };

    public async Task<bool> VerifyEmailAsync(string? token, CancellationToken ct = default)
    {
        if (await FromTokenAsync(token, "verify", ct) is not { } user) return false;
        user.EmailConfirmed = true;
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>Queues a reset mail when the address has an account; the caller answers the same either way.</summary>
    public async Task RequestResetAsync(string email, CancellationToken ct = default)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Email == email, ct);
        if (user is null) return;
        QueueMail("reset", email, user, ct);
        await db.SaveChangesAsync(ct);
        signal.Wake();
    }

    /// <summary>A new password from a reset link: a new security stamp ends every session and older links.</summary>
    public async Task<bool> ResetAsync(string? token, string password, CancellationToken ct = default)
    {
        if (await FromTokenAsync(token, "reset", ct) is not { } user) return false;
        SetPassword(user, password);
        (user.FailedLogins, user.LockedUntil, user.EmailConfirmed) = (0, null, true);
        await db.SaveChangesAsync(ct);
        await sessions.RevokeAllAsync(user.Id, except: null, ct);
        return true;
    }

    /// <summary>
    /// A new password chosen while signed in: the current password must be right. Every other session ends (they
    /// may be the reason for the change); the caller renews this one's cookie, whose stamp is now stale.
    /// </summary>
    public async Task<bool> ChangePasswordAsync(User user, string current, string password, string? keepSession, CancellationToken ct = default)
    {
        if (Hasher.VerifyHashedPassword(user, user.PasswordHash, current) == PasswordVerificationResult.Failed) return false;
        SetPassword(user, password);
        await db.SaveChangesAsync(ct);
        await sessions.RevokeAllAsync(user.Id, except: keepSession, ct);
        return true;
    }

    /// <summary>For confirming a step as grave as deleting the account; failures do not count toward the lockout.</summary>
    public static bool PasswordMatches(User user, string password) =>
        Hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed;

    // A new stamp with every new password: older reset links and the cookies of other sessions stop working.
    static void SetPassword(User user, string password) => (user.PasswordHash, user.SecurityStamp) = (Hasher.HashPassword(user, password), NewStamp());

    async Task<User?> FromTokenAsync(string? token, string purpose, CancellationToken ct)
    {
        if (!tokens.TryRead(token, purpose, out var id, out var stamp)) return null;
        var user = await db.Users.FindAsync([id], ct);
        return user?.SecurityStamp == stamp ? user : null;
    }

    void QueueMail(string kind, string email, User? user, CancellationToken ct)
    {
        // The outbox renders the link when it sends; the key is unique per request.
        db.Outbox.Add(new OutboxMessage
        {
            Key = $"{kind}:{user?.Id ?? 0}:{DigestLinks.NewNonce()}", Kind = kind, SubscriptionId = null, UserId = user?.Id,
            Recipient = email, Status = OutboxStatus.Pending, NextAttemptAt = Now, CreatedAt = Now,
        });
    }

    // ---- API tokens ----

    public const string TokenPrefix = "dp_";

    public async Task<(ApiToken Token, string Secret)> CreateTokenAsync(User user, string name, CancellationToken ct = default)
    {
        var secret = TokenPrefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        var token = new ApiToken { UserId = user.Id, Name = name, Prefix = secret[..10], Hash = Hash(secret), CreatedAt = Now };
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(ct);
        return (token, secret);
    }

    public async Task<bool> RevokeTokenAsync(long userId, long tokenId, CancellationToken ct = default) =>
        await db.ApiTokens.Where(t => t.Id == tokenId && t.UserId == userId && t.RevokedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.RevokedAt, Now), ct) == 1;

    public async Task<User?> FromApiTokenAsync(string secret, CancellationToken ct = default)
    {
        var hash = Hash(secret);
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Hash == hash && t.RevokedAt == null, ct);
        if (token is null) return null;
        var user = await db.Users.FindAsync([token.UserId], ct);
        if (user is null || user.SuspendedAt is not null) return null;
        token.LastUsedAt = Now;
        await db.SaveChangesAsync(ct);
        return user;
    }

    // Tokens are long random secrets, so a fast hash is enough: nobody can guess one to brute-force it.
    static string Hash(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret))).ToLowerInvariant();

    static string NewStamp() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    /// <summary>Who a request is; a cookie's principal also names its session row (bearer tokens have none).</summary>
    public static ClaimsPrincipal Principal(User user, string scheme, string? sessionId = null) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new Claim(ClaimTypes.Name, user.Name),
        new Claim(ClaimTypes.Role, user.Role),
        new Claim("stamp", user.SecurityStamp),
        .. sessionId is null ? Array.Empty<Claim>() : [new Claim(SessionService.Claim, sessionId)],
    ], scheme));
}
