using DailyPapers.Data;
using DailyPapers.Digest;
using DailyPapers.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Accounts;

/// <summary>
/// /admin, without script: moderators act on open reports (close, hide the paper); admins also decide authorship
/// claims, change roles and suspend accounts, and see failed mail. Every form redirects back with a one-time message.
/// </summary>
public static class AdminPages
{
    public static void MapAdminPages(this IEndpointRouteBuilder app)
    {
        var staff = app.MapGroup("/admin").RequireAuthorization(p => p.RequireRole(Roles.Moderator, Roles.Admin)).DisableAntiforgery().ExcludeFromDescription();
        staff.MapGet("", PageAsync);
        staff.MapPost("/reports/{id:long}/close", (long id, HttpContext c, AppDb db, TimeProvider t, CancellationToken ct) =>
            ActAsync(c, async me => await Comments.ModerationApi.CloseAsync(db, me, id, Now(t), ct) ? $"Report #{id} closed." : null));
        staff.MapPost("/reports/{id:long}/hide", (long id, HttpContext c, AppDb db, TimeProvider t, CancellationToken ct) => HideReportedAsync(id, c, db, t, ct));
        var admins = app.MapGroup("/admin").RequireAuthorization(p => p.RequireRole(Roles.Admin)).DisableAntiforgery().ExcludeFromDescription();
        foreach (var (path, decision) in new[] { ("approve", Claims.AuthorClaim.Approved), ("reject", Claims.AuthorClaim.Rejected) })
            admins.MapPost($"/claims/{{id:long}}/{path}", (long id, HttpContext c, AppDb db, TimeProvider t, CancellationToken ct) =>
                ActAsync(c, async me => await Claims.ClaimsApi.DecideAsync(db, me, id, decision, Now(t), ct) ? $"Claim #{id} {decision}." : null));
        admins.MapPost("/users/{id:long}/role", RoleAsync);
        admins.MapPost("/users/{id:long}/suspend", (long id, HttpContext c, AppDb db, SessionService s, TimeProvider t, CancellationToken ct) => SuspendAsync(id, true, c, db, s, t, ct));
        admins.MapPost("/users/{id:long}/restore", (long id, HttpContext c, AppDb db, SessionService s, TimeProvider t, CancellationToken ct) => SuspendAsync(id, false, c, db, s, t, ct));
    }

    static DateTime Now(TimeProvider clock) => clock.GetUtcNow().UtcDateTime;

    static async Task<IResult> PageAsync(HttpContext context, AppDb db, string? q, CancellationToken ct)
    {
        var isAdmin = context.User.IsInRole(Roles.Admin);
        var reports = await db.Reports.AsNoTracking().Where(r => r.ClosedAt == null).OrderBy(r => r.Id).Take(100).ToListAsync(ct);
        var model = new AdminModel(reports, isAdmin) { Query = q };
        if (isAdmin) await LoadAdminPartsAsync(model, db, q, ct);
        return new RazorComponentResult<AdminPage>(new { Model = model });
    }

    static async Task LoadAdminPartsAsync(AdminModel model, AppDb db, string? q, CancellationToken ct)
    {
        var search = (q ?? "").Trim().ToLowerInvariant();
        model.Users = await db.Users.AsNoTracking().Where(u => search == "" || u.Email.Contains(search) || u.Name.ToLower().Contains(search))
            .OrderBy(u => u.Id).Take(200).ToListAsync(ct);
        model.Claims = await db.AuthorClaims.AsNoTracking().Where(c => c.Status == Claims.AuthorClaim.Pending).OrderBy(c => c.Id).Take(100).ToListAsync(ct);
        model.Failed = await db.Outbox.AsNoTracking().Where(m => m.Status == OutboxStatus.Failed).OrderByDescending(m => m.Id).Take(50).ToListAsync(ct);
        model.Refused = await db.Subscriptions.AsNoTracking().Where(s => s.Failure != null).OrderByDescending(s => s.FailedAt).Take(50).ToListAsync(ct);
    }

    // A reported paper hidden from where the report is read; the report is closed with it.
    static async Task<IResult> HideReportedAsync(long id, HttpContext context, AppDb db, TimeProvider clock, CancellationToken ct) =>
        await ActAsync(context, async me =>
        {
            var report = await db.Reports.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id && r.Kind == "paper", ct);
            if (report is null || !await Comments.ModerationApi.HideAsync(db, report.Target, true, Now(clock), ct)) return null;
            await Comments.ModerationApi.CloseAsync(db, me, id, Now(clock), ct);
            return $"Paper {report.Target} hidden and report #{id} closed.";
        });

    static async Task<IResult> RoleAsync(long id, HttpContext context, AppDb db, CancellationToken ct)
    {
        if (await FormAsync(context) is not { } f) return Expired();
        var (status, error) = await AdminApi.SetRoleAsync(db, Auth.UserId(context.User)!.Value, id, f["role"], ct);
        return error is null ? Flash.Redirect(context, "/admin#users", $"User #{id} is now {f["role"]}.") : Pages.Error(status, error);
    }

    static async Task<IResult> SuspendAsync(long id, bool suspend, HttpContext context, AppDb db, SessionService sessions, TimeProvider clock, CancellationToken ct)
    {
        if (await FormAsync(context) is null) return Expired();
        var (status, error) = await AdminApi.SuspendAsync(db, sessions, Auth.UserId(context.User)!.Value, id, suspend, Now(clock), ct);
        return error is null ? Flash.Redirect(context, "/admin#users", suspend ? $"User #{id} suspended." : $"User #{id} restored.") : Pages.Error(status, error);
    }

    /// <summary>A form with its token, then the action; its message, or null for "nothing to act on" (404).</summary>
    static async Task<IResult> ActAsync(HttpContext context, Func<long, Task<string?>> act)
    {
        if (await FormAsync(context) is null) return Expired();
        return await act(Auth.UserId(context.User)!.Value) is { } done ? Flash.Redirect(context, "/admin", done) : Pages.Error(404, "There is nothing to act on at that address any more.");
    }

    static async Task<IFormCollection?> FormAsync(HttpContext context)
    {
        var form = await Http.ReadFormAsync(context, 4096, 4);
        return await Auth.AntiforgeryOkAsync(context) ? form : null;
    }

    static IResult Expired() => Pages.Error(400, "The form expired or did not come from this site. Reload the page and try again.");
}

/// <summary>What /admin shows: reports for every member of staff; the rest for admins only.</summary>
public sealed record AdminModel(IReadOnlyList<Comments.Report> Reports, bool IsAdmin)
{
    public string? Query { get; init; }
    public IReadOnlyList<User> Users { get; set; } = [];
    public IReadOnlyList<Claims.AuthorClaim> Claims { get; set; } = [];
    public IReadOnlyList<OutboxMessage> Failed { get; set; } = [];
    public IReadOnlyList<Subscription> Refused { get; set; } = [];
}
