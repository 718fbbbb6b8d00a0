using DailyPapers.Accounts;
using DailyPapers.Data;
using DailyPapers.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Notifications;

/// <summary>
/// /notifications: replies to your comments, decisions on your claims, new papers from what you follow, newest
/// first; opening the page reads them. Also by mail, when asked for (POST /notifications/settings). The header's
/// unread count comes from /api/me.
/// </summary>
public static class NotificationsApi
{
    const int Shown = 100;

    public static void MapNotifications(this IEndpointRouteBuilder app)
    {
        app.MapGet("/notifications", PageAsync).ExcludeFromDescription().RequireAuthorization();
        app.MapPost("/notifications/settings", SettingsAsync).ExcludeFromDescription().DisableAntiforgery().RequireAuthorization();
        app.MapGet("/api/notifications", JsonAsync).WithTags("Accounts").RequireAuthorization()
            .WithSummary("Your latest notifications, newest first: [{id, kind, text, link, createdAt, readAt}]. Reading them here does not mark them read.")
            .Produces<Notification[]>();
    }

    static async Task<IResult> PageAsync(HttpContext context, AppDb db, TimeProvider clock, CancellationToken ct)
    {
        var user = (await Auth.CurrentAsync(context))!;
        var list = await LatestAsync(db, user.Id, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        await db.Notifications.Where(n => n.UserId == user.Id && n.ReadAt == null).ExecuteUpdateAsync(u => u.SetProperty(n => n.ReadAt, now), ct);
        return new RazorComponentResult<NotificationsPage>(new { Notifications = list, ByMail = user.NotifyByMail, Verified = user.EmailConfirmed });
    }

    static async Task<IResult> JsonAsync(HttpContext context, AppDb db, CancellationToken ct) =>
        Results.Json(await LatestAsync(db, Auth.UserId(context.User)!.Value, ct));

    static Task<List<Notification>> LatestAsync(AppDb db, long userId, CancellationToken ct) =>
        db.Notifications.AsNoTracking().Where(n => n.UserId == userId).OrderByDescending(n => n.Id).Take(Shown).ToListAsync(ct);

    static async Task<IResult> SettingsAsync(HttpContext context, AppDb db, CancellationToken ct)
    {
        var form = await Http.ReadFormAsync(context, 1024, 4);
        if (!await Auth.AntiforgeryOkAsync(context)) return Pages.Error(400, "The form expired or did not come from this site. Reload the page and try again.");
        var byMail = form["byMail"] == "on";
        var me = Auth.UserId(context.User)!.Value;
        await db.Users.Where(u => u.Id == me).ExecuteUpdateAsync(u => u.SetProperty(x => x.NotifyByMail, byMail), ct);
        return Flash.Redirect(context, "/notifications", byMail ? "Notifications will come by mail too." : "Notifications stay on this page only.");
    }
}
