using DailyPapers.Data;
using DailyPapers.Digest;
using DailyPapers.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Accounts;

/// <summary>
/// Admin work: change a role, suspend or restore an account (`/api/admin/users/{id}/…`), and the `/admin` page that
/// lists what needs a look: failed mail, refused addresses, suspended accounts.
/// </summary>
public static class AdminApi
{
    public sealed record RoleBody(string? Role);

    public static void MapAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("").RequireAuthorization(p => p.RequireRole(Roles.Admin)).DisableAntiforgery().RequireCsrfForCookies();
        admin.MapGet("/admin", Page).ExcludeFromDescription();
        admin.MapPost("/api/admin/users/{id:long}/role", SetRole).WithTags("Admin").WithSummary("Set a role: {\"role\": \"admin\"|\"moderator\"|\"member\"}.");
        admin.MapPost("/api/admin/users/{id:long}/suspend", (long id, HttpContext c, AppDb db, SessionService s, TimeProvider clock, CancellationToken ct) => SuspendAsync(id, true, c, db, s, clock, ct))
            .WithTags("Admin").WithSummary("Suspend an account: its sessions and tokens stop working at once.");
        admin.MapPost("/api/admin/users/{id:long}/restore", (long id, HttpContext c, AppDb db, SessionService s, TimeProvider clock, CancellationToken ct) => SuspendAsync(id, false, c, db, s, clock, ct))
            .WithTags("Admin").WithSummary("Lift a suspension.");
    }

    static async Task<IResult> SetRole(long id, HttpContext context, AppDb db, CancellationToken ct)
    {
        var body = await Http.ReadJsonAsync<RoleBody>(context, 1024, ct);
        if (body?.Role is not { } role || !Roles.All.Contains(role)) return Http.Error(400, $"the body must be JSON {{\"role\": \"{string.Join("\"|\"", Roles.All)}\"}}");
        if (id == Auth.UserId(context.User) && role != Roles.Admin) return Http.Error(409, "an admin cannot demote themselves; ask another admin");
        return await db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(u => u.SetProperty(x => x.Role, role), ct) == 1
            ? Results.NoContent() : Http.Error(404, $"no user {id}");
    }

    static async Task<IResult> SuspendAsync(long id, bool suspend, HttpContext context, AppDb db, SessionService sessions, TimeProvider clock, CancellationToken ct)
    {
        if (id == Auth.UserId(context.User)) return Http.Error(409, "an admin cannot suspend themselves");
        DateTime? at = suspend ? clock.GetUtcNow().UtcDateTime : null;
        if (await db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(u => u.SetProperty(x => x.SuspendedAt, at), ct) == 0) return Http.Error(404, $"no user {id}");
        if (suspend) await sessions.RevokeAllAsync(id, except: null, ct);
        return Results.NoContent();
    }

    static async Task<IResult> Page(AppDb db, CancellationToken ct)
    {
        var failed = await db.Outbox.AsNoTracking().Where(m => m.Status == OutboxStatus.Failed).OrderByDescending(m => m.Id).Take(50).ToListAsync(ct);
        var refused = await db.Subscriptions.AsNoTracking().Where(s => s.Failure != null).OrderByDescending(s => s.FailedAt).Take(50).ToListAsync(ct);
        var suspended = await db.Users.AsNoTracking().Where(u => u.SuspendedAt != null).OrderBy(u => u.Id).ToListAsync(ct);
        var staff = await db.Users.AsNoTracking().Where(u => u.Role != Roles.Member).OrderBy(u => u.Id).ToListAsync(ct);
        var claims = await db.AuthorClaims.AsNoTracking().Where(c => c.Status == Claims.AuthorClaim.Pending).OrderBy(c => c.Id).Take(100).ToListAsync(ct);
        var reports = await db.Reports.AsNoTracking().Where(r => r.ClosedAt == null).OrderBy(r => r.Id).Take(100).ToListAsync(ct);
        return new RazorComponentResult<AdminPage>(new { Failed = failed, Refused = refused, Suspended = suspended, Staff = staff, Claims = claims, Reports = reports });
    }
}
