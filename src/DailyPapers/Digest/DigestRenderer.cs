using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using MimeKit;

namespace DailyPapers.Digest;

public sealed record DigestPaper(string Id, string Title, string Authors, string Excerpt, string? Code, int? Stars,
    string? ProjectPage, int Upvotes, bool Matched, bool Picked = false);

/// <summary>Everything a digest mail shows; rendering it twice gives the same bytes but for the MIME boundaries.</summary>
public sealed record DigestMail(string To, string PeriodTitle, IReadOnlyList<DigestPaper> Papers, int Matched, string SiteName,
    string SiteUrl, string ManageUrl, string UnsubscribeUrl, string? ViewUrl, DateTime Date, string Key)
{
    public string Subject => $"{SiteName}: {Papers.Count} papers, {PeriodTitle}";
}

/// <summary>
/// Builds the mails: multipart/alternative with a plain-text and an HTML part, inline styles only, no images, and the
/// headers list mail needs (Message-ID from the idempotency key, List-Id, RFC 8058 one-click unsubscribe).
/// </summary>
public static class DigestRenderer
{
    public static MimeMessage Digest(DigestMail m, string from)
    {
        var message = Envelope(m.To, m.Subject, from, m.Date, m.Key, m.SiteUrl);
        message.Headers.Add("List-Id", $"{m.SiteName} digest <digest.{Host(m.SiteUrl)}>");
        message.Headers.Add("List-Unsubscribe", $"<{m.UnsubscribeUrl}>");
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        message.Body = new BodyBuilder { TextBody = Text(m), HtmlBody = Html(m) }.ToMessageBody();
        return message;
    }

    public static MimeMessage Confirmation(string to, string confirmUrl, string siteName, string siteUrl, DateTime date, string key, string from)
    {
        var message = Envelope(to, $"Confirm your {siteName} digest", from, date, key, siteUrl);
        var text = $"""
            Someone (hopefully you) asked for {siteName} paper digests at this address.

            Confirm with this link (valid for a few days):
            {confirmUrl}

            If it was not you, ignore this mail: nothing will be sent.
            """;
        var html = $"""
            <!DOCTYPE html><html lang="en"><body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1f2328;max-width:560px;margin:0 auto;padding:16px">
            <p>Someone (hopefully you) asked for <b>{E(siteName)}</b> paper digests at this address.</p>
            <p><a href="{E(confirmUrl)}" style="display:inline-block;background:#0969da;color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none">Confirm my subscription</a></p>
            <p style="color:#59636e;font-size:13px">If it was not you, ignore this mail: nothing will be sent.</p>
            </body></html>
            """;
        message.Body = new BodyBuilder { TextBody = text, HtmlBody = html }.ToMessageBody();
        return message;
    }

    public static MimeMessage Envelope(string to, string subject, string from, DateTime date, string key, string siteUrl)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Date = new DateTimeOffset(date, TimeSpan.Zero);
        // The same key gives the same Message-ID, so a resend after a crash is recognisably the same mail.
        message.MessageId = $"{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32].ToLowerInvariant()}@{Host(siteUrl)}";
        return message;
    }

    /// <summary>A short mail with one optional button, for account messages.</summary>
    public static MimeMessage Notice(string to, string subject, string text, string? buttonUrl, string? buttonLabel, string siteUrl, DateTime date, string key, string from)
    {
        var message = Envelope(to, subject, from, date, key, siteUrl);
        var paragraphs = string.Concat(text.Split("\n\n").Select(p => $"<p>{E(p)}</p>"));
        var button = buttonUrl is null ? "" : $"<p><a href=\"{E(buttonUrl)}\" style=\"display:inline-block;background:#0969da;color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none\">{E(buttonLabel ?? "Open")}</a></p>";
        message.Body = new BodyBuilder
        {
            TextBody = text + (buttonUrl is null ? "" : $"\n\n{buttonLabel}: {buttonUrl}\n"),
            HtmlBody = $"<!DOCTYPE html><html lang=\"en\"><body style=\"font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1f2328;max-width:560px;margin:0 auto;padding:16px\">{paragraphs}{button}</body></html>",
        }.ToMessageBody();
        return message;
    }

    public static string Text(DigestMail m)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{m.SiteName} · {m.PeriodTitle}\n");
        if (m.Matched > 0) sb.Append(CultureInfo.InvariantCulture, $"{m.Matched} of these match your topics; they come first.\n");
        sb.Append('\n');
        for (var i = 0; i < m.Papers.Count; i++)
        {
            var p = m.Papers[i];
            sb.Append(CultureInfo.InvariantCulture, $"{i + 1}. {p.Title}{(p.Picked ? " [picked for you]" : "")}\n   {p.Authors}\n   {p.Excerpt}\n   {m.SiteUrl}/papers/{p.Id}");
            if (p.Code is not null) sb.Append(CultureInfo.InvariantCulture, $"\n   Code: {p.Code}");
            sb.Append("\n\n");
        }
        if (m.ViewUrl is not null) sb.Append(CultureInfo.InvariantCulture, $"View in a browser: {m.ViewUrl}\n");
        sb.Append(CultureInfo.InvariantCulture, $"Preferences: {m.ManageUrl}\nUnsubscribe: {m.UnsubscribeUrl}\n");
        return sb.ToString();
    }

    public static string Html(DigestMail m)
    {
        var sb = new StringBuilder(8_192);
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>")
          .Append(E(m.Subject)).Append("</title></head><body style=\"margin:0;padding:0;background:#f6f8fa\">")
          .Append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"background:#f6f8fa\"><tr><td align=\"center\" style=\"padding:16px\">")
          .Append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"max-width:640px;background:#ffffff;border:1px solid #d1d9e0;border-radius:8px;font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1f2328\">")
          .Append("<tr><td style=\"padding:16px 20px;border-bottom:1px solid #d1d9e0\"><a href=\"").Append(E(m.SiteUrl)).Append("\" style=\"color:#1f2328;font-weight:700;text-decoration:none;font-size:18px\">")
          .Append(E(m.SiteName)).Append("</a><div style=\"color:#59636e;font-size:14px\">").Append(E(m.PeriodTitle)).Append("</div>");
        if (m.Matched > 0) sb.Append("<div style=\"color:#59636e;font-size:13px\">").Append(m.Matched).Append(" of these match your topics; they come first.</div>");
        sb.Append("</td></tr>");
        foreach (var p in m.Papers) Paper(sb, p, m.SiteUrl);
        sb.Append("<tr><td style=\"padding:12px 20px;color:#59636e;font-size:12px\">");
        if (m.ViewUrl is not null) sb.Append("<a href=\"").Append(E(m.ViewUrl)).Append("\" style=\"color:#59636e\">View in a browser</a> · ");
        sb.Append("<a href=\"").Append(E(m.ManageUrl)).Append("\" style=\"color:#59636e\">Preferences</a> · ")
          .Append("<a href=\"").Append(E(m.UnsubscribeUrl)).Append("\" style=\"color:#59636e\">Unsubscribe</a>")
          .Append("</td></tr></table></td></tr></table></body></html>");
        return sb.ToString();
    }

    static void Paper(StringBuilder sb, DigestPaper p, string site)
    {
        var url = $"{site}/papers/{p.Id}";
        sb.Append("<tr><td style=\"padding:14px 20px;border-bottom:1px solid #eaeef2\">")
          .Append("<a href=\"").Append(E(url)).Append("\" style=\"color:#0969da;font-size:16px;font-weight:600;text-decoration:none\">").Append(E(p.Title)).Append("</a>");
        if (p.Matched) sb.Append(" <span style=\"background:#ddf4ff;color:#0969da;font-size:11px;padding:1px 6px;border-radius:8px\">your topics</span>");
        if (p.Picked) sb.Append(" <span style=\"background:#fbefff;color:#8250df;font-size:11px;padding:1px 6px;border-radius:8px\">picked for you</span>");
        sb.Append("<div style=\"color:#59636e;font-size:13px;margin:4px 0\">").Append(E(p.Authors)).Append("</div>")
          .Append("<div style=\"font-size:14px;line-height:1.45\">").Append(E(p.Excerpt)).Append("</div>")
          .Append("<div style=\"font-size:13px;margin-top:6px;color:#59636e\">▲ ").Append(p.Upvotes)
          .Append(" · <a href=\"").Append(E(url)).Append("\" style=\"color:#0969da\">Paper</a>")
          .Append(" · <a href=\"https://arxiv.org/abs/").Append(E(p.Id)).Append("\" style=\"color:#0969da\">arXiv</a>");
        if (p.Code is not null)
            sb.Append(" · <a href=\"").Append(E(p.Code)).Append("\" style=\"color:#0969da\">Code</a>").Append(p.Stars is { } s ? $" ★ {s}" : "");
        if (p.ProjectPage is not null) sb.Append(" · <a href=\"").Append(E(p.ProjectPage)).Append("\" style=\"color:#0969da\">Project page</a>");
        sb.Append("</div></td></tr>");
    }

    static string Host(string siteUrl) => Uri.TryCreate(siteUrl, UriKind.Absolute, out var u) ? u.Host : "localhost";

    static string E(string s) => WebUtility.HtmlEncode(s);
}
