using DailyPapers.Data;
using DailyPapers.Digest;
using DailyPapers.Web;
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
        admin.MapPost("/api/admin/users/{id:long}/role", SetRole).WithTags("Admin").WithSummary("Set a role: {\"role\": \"admin\"|\"moderator\"|\"member\"}.")
            .Accepts<RoleBody>(ApiDocs.JsonType).Produces(204).Fails(400, 404, 409);
        admin.MapPost("/api/admin/users/{id:long}/suspend", (long id, HttpContext c, AppDb db, SessionService s, TimeProvider clock, CancellationToken ct) => SuspendAsync(id, true, c, db, s, clock, ct))
            .WithTags("Admin").WithSummary("Suspend an account: its sessions and tokens stop working at once.").Produces(204).Fails(400, 404, 409);
        admin.MapPost("/api/admin/users/{id:long}/restore", (long id, HttpContext c, AppDb db, SessionService s, TimeProvider clock, CancellationToken ct) => SuspendAsync(id, false, c, db, s, clock, ct))
            .WithTags("Admin").WithSummary("Lift a suspension.").Produces(204).Fails(400, 404, 409);
    }

    static async Task<IResult> SetRole(long id, HttpContext context, AppDb db, CancellationToken ct)
    {
        var body = await Http.ReadJsonAsync<RoleBody>(context, 1024, ct);
        if (body?.Role is null) return Http.Error(400, $"the body must be JSON {{\"role\": \"{string.Join("\"|\"", Roles.All)}\"}}");
        var (status, error) = await SetRoleAsync(db, Auth.UserId(context.User)!.Value, id, body.Role, ct);
        return error is null ? Results.NoContent() : Http.Error(status, error);
    }

    static async Task<IResult> SuspendAsync(long id, bool suspend, HttpContext context, AppDb db, SessionService sessions, TimeProvider clock, CancellationToken ct)
    {
        var (status, error) = await SuspendAsync(db, sessions, Auth.UserId(context.User)!.Value, id, suspend, clock.GetUtcNow().UtcDateTime, ct);
        return error is null ? Results.NoContent() : Http.Error(status, error);
    }

    /// <summary>A role change by an admin (me), for the API and /admin alike: the refusal's status and reason, or none.</summary>
    public static async Task<(int Status, string? Error)> SetRoleAsync(AppDb db, long me, long id, string? role, CancellationToken ct)
    {
        if (role is null || !Roles.All.Contains(role)) return (400, $"role must be one of: {string.Join(", ", Roles.All)}");
        if (id == me && role != Roles.Admin) return (409, "an admin cannot demote themselves; ask another admin");
        return await db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(u => u.SetProperty(x => x.Role, role), ct) == 1 ? (204, null) : (404, $"no user {id}");
    }

    /// <summary>A suspension (its sessions end at once) or its lifting.</summary>
    public static async Task<(int Status, string? Error)> SuspendAsync(AppDb db, SessionService sessions, long me, long id, bool suspend, DateTime now, CancellationToken ct)
    {
        if (id == me) return (409, "an admin cannot suspend themselves");
        DateTime? at = suspend ? now : null;
        if (await db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(u => u.SetProperty(x => x.SuspendedAt, at), ct) == 0) return (404, $"no user {id}");
        if (suspend) await sessions.RevokeAllAsync(id, except: null, ct);
        return (204, null);
    }
}
