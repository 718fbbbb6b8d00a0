using System.Text.Json;
using DailyPapers.Accounts;
using DailyPapers.Data;
using DailyPapers.Papers;
using DailyPapers.Web;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Comments;

/// <summary>
/// Moderation: anyone signed in reports a paper or a comment (`POST /api/reports`); moderators and admins list and
/// close reports and hide or restore papers (`POST /api/papers/{id}/hide|unhide`). Comments are hidden through
/// `POST /api/comments/{id}/hide`; accounts are suspended by admins.
/// </summary>
public static class ModerationApi
{
    public sealed record ReportBody(string? Kind, string? Target, string? Reason);
    public sealed record ApiReport(long Id, string Kind, string Target);
    public const int MaxReason = 1000;

    public static void MapModeration(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/reports", ReportAsync).WithTags("Moderation").WithSummary("Report: {\"kind\": \"paper\"|\"comment\", \"target\": id, \"reason\"}.")
            .Accepts<ReportBody>(ApiDocs.JsonType).Produces<ApiReport>(201).Fails(400, 404)
            .RequireAuthorization().RequireRateLimiting("comments").DisableAntiforgery().RequireCsrfForCookies();
        var mods = app.MapGroup("/api").WithTags("Moderation").RequireAuthorization(p => p.RequireRole(Roles.Moderator, Roles.Admin)).DisableAntiforgery().RequireCsrfForCookies();
        mods.MapGet("/moderation/reports", ListAsync).WithSummary("Open reports, oldest first.").Produces<Report[]>();
        mods.MapPost("/moderation/reports/{id:long}/close", (long id, HttpContext c, AppDb db, TimeProvider clock, CancellationToken ct) => CloseAsync(id, c, db, clock, ct))
            .WithSummary("Close a report.").Produces(204).Fails(400, 404);
        mods.MapPaper("/papers", "/hide", (e, route) => e.MapPost(route, (PaperKey p, AppDb db, TimeProvider clock, CancellationToken ct) => HideAsync(p, true, db, clock, ct)))
            .WithSummary("Hide a paper from every list, search, feed and mail.").Produces(204).Fails(400, 404);
        mods.MapPaper("/papers", "/unhide", (e, route) => e.MapPost(route, (PaperKey p, AppDb db, TimeProvider clock, CancellationToken ct) => HideAsync(p, false, db, clock, ct)))
            .WithSummary("Restore a hidden paper.").Produces(204).Fails(400, 404);
    }

    static async Task<IResult> ReportAsync(HttpContext context, AppDb db, TimeProvider clock, CancellationToken ct)
    {
        var body = await Http.ReadJsonAsync<ReportBody>(context, 8192, ct);
        var reason = Ingest.Text.Squash(body?.Reason) ?? "";
        if (body is null || reason.Length is 0 or > MaxReason) return Http.Error(400, $"the body must be JSON {{\"kind\", \"target\", \"reason\"}} with a reason of 1 to {MaxReason} characters");
        var (status, error, target) = await TargetAsync(body, db, ct);
        if (target is null) return Http.Error(status, error);
        var report = new Report { UserId = Auth.UserId(context.User)!.Value, Kind = body.Kind!, Target = target, Reason = reason, CreatedAt = clock.GetUtcNow().UtcDateTime };
        db.Reports.Add(report);
        await db.SaveChangesAsync(ct);
        return Results.Json(new ApiReport(report.Id, report.Kind, report.Target), statusCode: 201);
    }

    /// <summary>What a report names, read by the one rule of its kind; a paper or comment hidden from readers is not found.</summary>
    static async Task<(int Status, string Error, string? Target)> TargetAsync(ReportBody body, AppDb db, CancellationToken ct)
    {
        if (body.Kind == "paper")
        {
            if (!ArxivId.TryParse(body.Target?.Trim(), out var key, out _)) return (400, "target: " + ArxivId.NotAnId(body.Target), null);
            return await db.Papers.AnyAsync(p => p.Id == key, ct) ? (0, "", key) : (404, $"no paper {key}", null);
        }
        if (body.Kind != "comment") return (400, "kind must be paper or comment", null);
        if (!long.TryParse(body.Target, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
            return (400, "target must be a comment's id", null);
        var visible = await db.Comments.Where(Comment.IsVisible).AnyAsync(c => c.Id == id && db.Papers.Any(p => p.Id == c.PaperId), ct);
        return visible ? (0, "", id.ToString(System.Globalization.CultureInfo.InvariantCulture)) : (404, $"no comment {id}", null);
    }

    static async Task<IResult> ListAsync(AppDb db, CancellationToken ct) =>
        Results.Json(await db.Reports.AsNoTracking().Where(r => r.ClosedAt == null).OrderBy(r => r.Id).Take(500).ToListAsync(ct));

    static async Task<IResult> CloseAsync(long id, HttpContext context, AppDb db, TimeProvider clock, CancellationToken ct) =>
        await CloseAsync(db, Auth.UserId(context.User), id, clock.GetUtcNow().UtcDateTime, ct) ? Results.NoContent() : Http.Error(404, $"no open report {id}");

    public static async Task<bool> CloseAsync(AppDb db, long? me, long id, DateTime now, CancellationToken ct) =>
        await db.Reports.Where(r => r.Id == id && r.ClosedAt == null).ExecuteUpdateAsync(u => u.SetProperty(r => r.ClosedAt, now).SetProperty(r => r.ClosedBy, me), ct) == 1;

    static async Task<IResult> HideAsync(PaperKey paper, bool hide, AppDb db, TimeProvider clock, CancellationToken ct) =>
        await HideAsync(db, paper.Id, hide, clock.GetUtcNow().UtcDateTime, ct) ? Results.NoContent() : Http.Error(404, $"no paper {paper}");

    /// <summary>Hides or restores a paper (moderators act on hidden papers too: that is what unhide is for); false when there is none.</summary>
    public static async Task<bool> HideAsync(AppDb db, string paperId, bool hide, DateTime now, CancellationToken ct)
    {
        var papers = db.PapersIncludingHidden.Where(p => p.Id == paperId);
        if (!await papers.AnyAsync(ct)) return false;
        DateTime? at = hide ? now : null;
        // Hiding twice keeps the first time.
        await papers.Where(p => (p.HiddenAt == null) == hide).ExecuteUpdateAsync(u => u.SetProperty(p => p.HiddenAt, at), ct);
        return true;
    }
}
