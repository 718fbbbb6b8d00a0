using DailyPapers.Data;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Notifications;

/// <summary>Writes notifications (in the caller's transaction, so one appears exactly when its cause commits) and reads them.</summary>
public static class NotificationService
{
    public static void Add(AppDb db, long userId, string kind, string text, string link, DateTime now) =>
        db.Notifications.Add(new Notification { UserId = userId, Kind = kind, Text = text.Length > 300 ? text[..299] + "…" : text, Link = link, CreatedAt = now });

    public static Task<int> UnreadAsync(AppDb db, long userId, CancellationToken ct = default) =>
        db.Notifications.CountAsync(n => n.UserId == userId && n.ReadAt == null, ct);
}
