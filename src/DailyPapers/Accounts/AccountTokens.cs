using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace DailyPapers.Accounts;

/// <summary>
/// Links in account mails (verify the address, reset the password): signed, expiring, and bound to the account's
/// security stamp, so a password change kills every older link.
/// </summary>
public sealed class AccountTokens(IDataProtectionProvider protection, TimeProvider clock)
{
    public static readonly TimeSpan VerifyLifetime = TimeSpan.FromDays(7);
    public static readonly TimeSpan ResetLifetime = TimeSpan.FromHours(2);

    readonly ITimeLimitedDataProtector protector = protection.CreateProtector("accounts.v1").ToTimeLimitedDataProtector();

    public string Create(long userId, string stamp, string purpose, TimeSpan lifetime) =>
        protector.Protect($"{purpose}:{userId}:{stamp}", clock.GetUtcNow() + lifetime);

    public bool TryRead(string? token, string purpose, out long userId, out string stamp)
    {
        (userId, stamp) = (0, "");
        string text;
        try
        {
            text = protector.Unprotect(token ?? "", out var expires);
            if (expires <= clock.GetUtcNow()) return false;
        }
        catch (CryptographicException) { return false; }
        var parts = text.Split(':');
        if (parts.Length != 3 || parts[0] != purpose || !long.TryParse(parts[1], out userId)) return false;
        stamp = parts[2];
        return true;
    }
}
