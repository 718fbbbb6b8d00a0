using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace DailyPapers.Digest;

/// <summary>
/// Signed links in mails: they are the subscriber's only credential, so they are authenticated and encrypted by
/// ASP.NET Data Protection (keys in the database, Data/DatabaseKeys.cs). A confirmation link expires; the manage link
/// (preferences and unsubscribe) does not, because mail clients keep old digests for years and unsubscribing must
/// keep working.
/// </summary>
public sealed class DigestLinks(IDataProtectionProvider provider, IOptions<AppOptions> options, Web.SiteAddress address, TimeProvider clock)
{
    /// <summary>The address mails link to: mails are composed away from any request, so never a request's host.</summary>
    public string SiteUrl => address.For(null);

    readonly ITimeLimitedDataProtector confirm = provider.CreateProtector("digest.confirm.v1").ToTimeLimitedDataProtector();
    readonly IDataProtector manage = provider.CreateProtector("digest.manage.v1");
    readonly IDataProtector view = provider.CreateProtector("digest.view.v1");

    public string ConfirmToken(long subscription, string nonce) =>
        confirm.Protect($"{subscription}:{nonce}", clock.GetUtcNow().AddDays(options.Value.Digest.ConfirmDays));

    public string ManageToken(long subscription) => manage.Protect(subscription.ToString(System.Globalization.CultureInfo.InvariantCulture));
    public string ViewToken(long outboxId) => view.Protect(outboxId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public bool TryConfirm(string? token, out long subscription, out string nonce)
    {
        (subscription, nonce) = (0, "");
        // Expiry is checked against the injected clock, so it is testable and the same as every other rule.
        if (!TryUnprotect(() => confirm.Unprotect(token!, out var expires) is var s && expires > clock.GetUtcNow() ? s : null, out var text)) return false;
        var parts = text.Split(':');
        nonce = parts.Length == 2 ? parts[1] : "";
        return parts.Length == 2 && long.TryParse(parts[0], out subscription);
    }

    public bool TryManage(string? token, out long subscription)
    {
        subscription = 0;
        return TryUnprotect(() => manage.Unprotect(token!), out var text) && long.TryParse(text, out subscription);
    }

    public bool TryView(string? token, out long outboxId)
    {
        outboxId = 0;
        return TryUnprotect(() => view.Unprotect(token!), out var text) && long.TryParse(text, out outboxId);
    }

    static bool TryUnprotect(Func<string?> unprotect, out string text)
    {
        text = "";
        try
        {
            text = unprotect() ?? "";
            return text.Length > 0;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or ArgumentNullException)
        {
            return false;
        }
    }

    public string Url(string path, string token) => $"{SiteUrl}{path}?token={Uri.EscapeDataString(token)}";

    public static string NewNonce() => Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
}
