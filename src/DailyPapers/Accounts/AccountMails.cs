using DailyPapers.Digest;
using MimeKit;

namespace DailyPapers.Accounts;

/// <summary>The account mails: verify an address, reset a password, and the notice that an address already has an account.</summary>
public static class AccountMails
{
    public static MimeMessage Verify(OutboxMessage m, string? url, string site, string siteUrl, string from) =>
        DigestRenderer.Notice(m.Recipient, $"Verify your {site} account",
            $"Welcome to {site}. Follow the link to verify this address (valid for 7 days).\n\nIf you did not sign up, ignore this mail.",
            url, "Verify my address", siteUrl, m.CreatedAt, m.Key, from);

    public static MimeMessage Reset(OutboxMessage m, string? url, string site, string siteUrl, string from) =>
        DigestRenderer.Notice(m.Recipient, $"Reset your {site} password",
            "Someone asked to reset the password of this account. The link is valid for 2 hours and works once.\n\nIf it was not you, ignore this mail: your password is unchanged.",
            url, "Choose a new password", siteUrl, m.CreatedAt, m.Key, from);

    // Sent instead of a second account, so the sign-up form never tells a stranger that an address is registered.
    public static MimeMessage Exists(OutboxMessage m, string site, string siteUrl, string from) =>
        DigestRenderer.Notice(m.Recipient, $"Your {site} account",
            "Someone tried to sign up with this address, which already has an account. If it was you, sign in, or reset your password if you forgot it.",
            siteUrl + "/account/forgot", "Reset my password", siteUrl, m.CreatedAt, m.Key, from);
}
