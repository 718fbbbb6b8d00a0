using System.Diagnostics;
using System.Text.Json;
using DailyPapers.Data;
using DailyPapers.Feed;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace DailyPapers.Digest;

public sealed record SendReport(int Sent, int Retrying, int Failed, int Cancelled)
{
    public override string ToString() => $"{Sent} sent, {Retrying} to retry, {Failed} failed, {Cancelled} cancelled";
}

/// <summary>
/// Sends what the outbox holds. A message is claimed (status sending) before it is handed to the server and marked
/// sent right after the server accepts it, one commit each: a crash leaves at most the one message in flight in
/// doubt. Claimed messages whose sender died are taken up again after the lease (Mail:LeaseSeconds).
/// </summary>
public sealed class Outbox(AppDb db, DigestLinks links, Accounts.AccountTokens accountTokens, IOptions<AppOptions> options, TimeProvider clock, ILogger<Outbox> log)
{
    const int Batch = 50;
    readonly Dictionary<string, DigestPaper> papers = [];

    MailOptions Mail => options.Value.Mail;

    public MailTransport OpenTransport() => new(Mail, Mail.PickupFolder(options.Value.DataDir));

    public async Task<SendReport> SendDueAsync(string? only = null, int max = int.MaxValue, CancellationToken ct = default)
    {
        await using var transport = OpenTransport();
        var (sent, retrying, failed, cancelled) = (0, 0, 0, 0);
        var pace = Stopwatch.StartNew();
        while (sent + retrying + failed + cancelled < max)
        {
            var claimed = await ClaimAsync(only, Math.Min(Batch, max - sent - retrying - failed - cancelled), ct);
            if (claimed.Count == 0) break;
            foreach (var message in claimed)
            {
                if (message.Kind == "digest" && !await StillSubscribedAsync(message.SubscriptionId ?? 0, ct))
                {
                    await SetAsync(message.Id, OutboxStatus.Cancelled, null, ct);
                    cancelled++;
                    continue;
                }
                await PaceAsync(pace, sent + retrying + failed, ct);
                switch (await SendOneAsync(transport, message, ct))
                {
                    case OutboxStatus.Sent: sent++; break;
                    case OutboxStatus.Failed: failed++; break;
                    default: retrying++; break;
                }
            }
        }
        return new SendReport(sent, retrying, failed, cancelled);
    }

    // The rate limit: the n-th message leaves no earlier than n / MaxPerSecond seconds after the first.
    async Task PaceAsync(Stopwatch pace, int handed, CancellationToken ct)
    {
        if (Mail.MaxPerSecond <= 0) return;
        var due = TimeSpan.FromSeconds(handed / Mail.MaxPerSecond) - pace.Elapsed;
        if (due > TimeSpan.Zero) await Task.Delay(due, ct);
    }

    async Task<string> SendOneAsync(MailTransport transport, OutboxMessage message, CancellationToken ct)
    {
        MimeMessage mime;
        try { mime = await RenderAsync(message, ct); }
        catch (Exception ex) when (ex is ParseException or FormatException or JsonException)
        {
            await FailAsync(message, $"cannot render: {ex.Message}", permanent: true, ct);
            return OutboxStatus.Failed;
        }
        try
        {
            await transport.SendAsync(mime, FileName(message), ct);
        }
        catch (MailException ex)
        {
            log.LogWarning("mail {Key} to {Recipient}: {Error}", message.Key, message.Recipient, ex.Message);
            return await FailAsync(message, ex.Message, ex.Permanent, ct);
        }
        // Deliberately not cancellable: the server has the message; recording that must not be skipped.
        await SetAsync(message.Id, OutboxStatus.Sent, null, CancellationToken.None);
        return OutboxStatus.Sent;
    }

    async Task<string> FailAsync(OutboxMessage message, string error, bool permanent, CancellationToken ct)
    {
        var attempts = message.Attempts + 1;
        var final = permanent || attempts >= Mail.MaxAttempts;
        var delay = TimeSpan.FromSeconds(Math.Min(3600, Mail.RetrySeconds * Math.Pow(2, attempts - 1)));
        var now = clock.GetUtcNow().UtcDateTime;
        var id = message.Id;
        await db.Outbox.Where(m => m.Id == id).ExecuteUpdateAsync(u => u
            .SetProperty(m => m.Status, final ? OutboxStatus.Failed : OutboxStatus.Pending)
            .SetProperty(m => m.Attempts, attempts)
            .SetProperty(m => m.NextAttemptAt, now + delay)
            .SetProperty(m => m.LastError, Ingest.Text.Clip(error)), CancellationToken.None);
        if (permanent && message.SubscriptionId is not null)
        {
            // A refused address: no more digests until its owner subscribes again; admins see it in `digest status`.
            var sid = message.SubscriptionId;
            await db.Subscriptions.Where(s => s.Id == sid).ExecuteUpdateAsync(u => u
                .SetProperty(s => s.Failure, Ingest.Text.Clip(error)).SetProperty(s => s.FailedAt, now), CancellationToken.None);
        }
        return final ? OutboxStatus.Failed : OutboxStatus.Pending;
    }

    /// <summary>Takes due messages: pending ones whose time has come, and claimed ones whose sender's lease ran out.</summary>
    async Task<List<OutboxMessage>> ClaimAsync(string? only, int count, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var stale = now.AddSeconds(-Mail.LeaseSeconds);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Senders on other instances get other rows, not the same ones to wait for (SkipLocked: FOR UPDATE SKIP
        // LOCKED on PostgreSQL; on SQLite the transaction holds the write lock, and senders take turns).
        var ids = await db.Outbox.Where(m => ((m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now)
                                              || (m.Status == OutboxStatus.Sending && m.ClaimedAt <= stale))
                                             && (only == null || m.Recipient == only))
            .OrderBy(m => m.Id).Take(count).Select(m => m.Id).SkipLocked().ToListAsync(ct);
        // The status test is repeated in the update, so two senders can never claim the same row.
        await db.Outbox.Where(m => ids.Contains(m.Id) && (m.Status == OutboxStatus.Pending || (m.Status == OutboxStatus.Sending && m.ClaimedAt <= stale)))
            .ExecuteUpdateAsync(u => u.SetProperty(m => m.Status, OutboxStatus.Sending).SetProperty(m => m.ClaimedAt, now), ct);
        var claimed = await db.Outbox.AsNoTracking().Where(m => ids.Contains(m.Id) && m.ClaimedAt == now).OrderBy(m => m.Id).ToListAsync(ct);
        await tx.CommitAsync(ct);
        return claimed;
    }

    Task<bool> StillSubscribedAsync(long subscription, CancellationToken ct) =>
        db.Subscriptions.AnyAsync(s => s.Id == subscription && s.Status == SubscriptionStatus.Confirmed, ct);

    Task SetAsync(long id, string status, string? error, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return db.Outbox.Where(m => m.Id == id).ExecuteUpdateAsync(u => u
            .SetProperty(m => m.Status, status)
            .SetProperty(m => m.SentAt, status == OutboxStatus.Sent ? now : null)
            .SetProperty(m => m.LastError, error), ct);
    }

    static string FileName(OutboxMessage m) => m.Key.Replace(':', '-').Replace('=', '-');

    /// <summary>The mail for an outbox row, rebuilt from what was stored: the same on every attempt.</summary>
    public async Task<MimeMessage> RenderAsync(OutboxMessage message, CancellationToken ct = default)
    {
        var site = options.Value.SiteName;
        if (message.Kind == "confirm")
        {
            var nonce = message.Key.Split(':')[2];
            var url = links.Url("/digest/confirm", links.ConfirmToken(message.SubscriptionId ?? 0, nonce));
            return DigestRenderer.Confirmation(message.Recipient, url, site, links.SiteUrl, message.CreatedAt, message.Key, Mail.From);
        }
        if (message.Kind != "digest") return await AccountMailAsync(message, ct);
        return DigestRenderer.Digest(await DigestMailAsync(message, viewUrl: true, ct), Mail.From);
    }

    public async Task<DigestMail> DigestMailAsync(OutboxMessage message, bool viewUrl, CancellationToken ct = default)
    {
        var ids = JsonSerializer.Deserialize<List<string>>(message.PaperIdsJson) ?? [];
        var list = await PapersAsync(ids, message.Matched, message.Picks, ct);
        var manage = links.ManageToken(message.SubscriptionId ?? 0);
        return new DigestMail(message.Recipient, PeriodTitle(message.Period), list, message.Matched, options.Value.SiteName, links.SiteUrl,
            links.Url("/digest/preferences", manage), links.Url("/digest/unsubscribe", manage),
            viewUrl ? links.Url("/digest/view", links.ViewToken(message.Id)) : null, message.CreatedAt, message.Key);
    }

    // Account mails carry a link bound to the account's current security stamp, made when the mail is sent.
    async Task<MimeMessage> AccountMailAsync(OutboxMessage message, CancellationToken ct)
    {
        var user = message.UserId is { } id ? await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, ct) : null;
        if (message.Kind == "notification") return await NotificationMailAsync(message, ct);
        string? Link(string path, string purpose, TimeSpan lifetime) =>
            user is null ? null : links.Url(path, accountTokens.Create(user.Id, user.SecurityStamp, purpose, lifetime));
        return message.Kind switch
        {
            "verify" => Accounts.AccountMails.Verify(message, Link("/account/verify", "verify", Accounts.AccountTokens.VerifyLifetime), options.Value.SiteName, links.SiteUrl, Mail.From),
            "reset" => Accounts.AccountMails.Reset(message, Link("/account/reset", "reset", Accounts.AccountTokens.ResetLifetime), options.Value.SiteName, links.SiteUrl, Mail.From),
            _ => Accounts.AccountMails.Exists(message, options.Value.SiteName, links.SiteUrl, Mail.From),
        };
    }

    // The notification the key names, as a short mail with its link; one row per notification, like every mail here.
    async Task<MimeMessage> NotificationMailAsync(OutboxMessage message, CancellationToken ct)
    {
        var id = long.Parse(message.Key.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
        var n = await db.Notifications.AsNoTracking().SingleAsync(x => x.Id == id, ct);
        var site = options.Value.SiteName;
        return DigestRenderer.Notice(message.Recipient, $"{site}: {n.Text}", n.Text + "\n\nYou get these because you asked for notifications by mail; change it on your account page.",
            links.SiteUrl + n.Link, "Open", links.SiteUrl, message.CreatedAt, message.Key, Mail.From);
    }

    static string PeriodTitle(string? query) => query switch
    {
        { } q when q.StartsWith("week=", StringComparison.Ordinal) && Period.TryParseWeek(q[5..], out var week) => week.Title,
        { } q when q.StartsWith("date=", StringComparison.Ordinal) && Period.TryParseDate(q[5..], out var day) => Period.Day(day).Title,
        _ => "",
    };

    async Task<List<DigestPaper>> PapersAsync(List<string> ids, int matched, int picks, CancellationToken ct)
    {
        var missing = ids.Where(id => !papers.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            // Through Papers, so a paper hidden since composing drops out of the mail too.
            foreach (var r in await db.Papers.AsNoTracking().Where(x => missing.Contains(x.Id)).ToListAsync(ct))
                papers[r.Id] = new DigestPaper(r.Id, r.DisplayTitle, Papers.PaperView.AuthorLine(r), Papers.PaperView.Excerpt(r.Summary), WebLink(r.GithubRepo), r.GithubStars,
                    WebLink(r.ProjectPage), r.Counts.Upvotes, false);
        }
        // A paper deleted since composing is left out rather than failing the whole digest.
        return ids.Where(papers.ContainsKey).Select((id, i) => papers[id] with { Matched = i < matched, Picked = i >= matched && i < matched + picks }).ToList();
    }

    // Links in mail go only to web pages: imported data is not trusted to carry javascript: or data: URLs.
    static string? WebLink(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttps || u.Scheme == Uri.UriSchemeHttp) ? u.ToString() : null;
}
