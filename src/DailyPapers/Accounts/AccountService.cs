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
public sealed class AccountService(AppDb db, AccountTokens tokens, OutboxSignal signal, TimeProvider clock)
{
    static readonly PasswordHasher<User> Hasher = new();

    DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Creates the account (the first is admin) and queues a verification mail; an address already taken gets a notice instead.</summary>
    public async Task<User?> SignUpAsync(string email, string name, string password, string? role = null, CancellationToken ct = default)
    {
        if (await db.Users.AnyAsync(u => u.Email == email, ct))
        {
            QueueMail("account-exists", email, null, ct);
            await db.SaveChangesAsync(ct);
            signal.Wake();
            return null;
        }
        var user = new User
        {
            Email = email, Name = name, PasswordHash = "", SecurityStamp = NewStamp(), CreatedAt = Now,
            Role = role ?? (await db.Users.AnyAsync(ct) ? Roles.Member : Roles.Admin),
        };
        user.PasswordHash = Hasher.HashPassword(user, password);
        db.Users.Add(user);
        await db.SaveChangesAsync(ct);
        QueueMail("verify", email, user, ct);
        await db.SaveChangesAsync(ct);
        signal.Wake();
        return user;
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
        user.PasswordHash = Hasher.HashPassword(user, password);
        (user.SecurityStamp, user.FailedLogins, user.LockedUntil, user.EmailConfirmed) = (NewStamp(), 0, null, true);
        await db.SaveChangesAsync(ct);
        return true;
    }

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

    public static ClaimsPrincipal Principal(User user, string scheme) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new Claim(ClaimTypes.Name, user.Name),
        new Claim(ClaimTypes.Role, user.Role),
        new Claim("stamp", user.SecurityStamp),
    ], scheme));
}
