using DailyPapers.Data;
using DailyPapers.Digest;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Notifications;

/// <summary>
/// Writes notifications in the caller's transaction (one appears exactly when its cause commits), and queues the same
/// as a mail through the outbox for accounts that asked for mail and verified their address; reads them.
/// </summary>
public static class NotificationService
{
    public const int MaxText = 300;

    public static async Task AddAsync(AppDb db, long userId, string kind, string text, string link, DateTime now, CancellationToken ct = default)
    {
        var n = new Notification { UserId = userId, Kind = kind, Text = text.Length > MaxText ? text[..(MaxText - 1)] + "…" : text, Link = link, CreatedAt = now };
        db.Notifications.Add(n);
        await db.SaveChangesAsync(ct);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.Email, u.NotifyByMail, u.EmailConfirmed }).SingleAsync(ct);
        if (!user.NotifyByMail || !user.EmailConfirmed) return;
        db.Outbox.Add(new OutboxMessage
        {
            Key = $"notification:{n.Id}", Kind = "notification", UserId = userId, Recipient = user.Email,
            Status = OutboxStatus.Pending, NextAttemptAt = now, CreatedAt = now,
        });
        await db.SaveChangesAsync(ct);
    }

    public static Task<int> UnreadAsync(AppDb db, long userId, CancellationToken ct = default) =>
        db.Notifications.CountAsync(n => n.UserId == userId && n.ReadAt == null, ct);
}
