using System.Text.Json;
using DailyPapers.Accounts;
using DailyPapers.Data;
using DailyPapers.Papers;
using DailyPapers.Web;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Claims;

/// <summary>
/// Authorship: claim (`POST /api/papers/{id}/claim` {"authorName"}), decide (admins,
/// `POST /api/admin/claims/{id}/approve|reject`, list with `GET /api/admin/claims`). A verified author or the
/// paper's submitter may set its code repository and project page (`PATCH /api/papers/{id}`).
/// </summary>
public static class ClaimsApi
{
    public sealed record ClaimBody(string? AuthorName);
    public sealed record LinksBody(string? GithubRepo, string? ProjectPage);
    public sealed record ApiClaim(long Id, string PaperId, string AuthorName, string Status);
    public sealed record ApiClaimListed(long Id, string PaperId, string AuthorName, string Status, string User, string UserEmail, DateTime CreatedAt);

    public static void MapClaims(this IEndpointRouteBuilder app)
    {
        app.MapPaper("/api/papers", "/claim", (e, route) => e.MapPost(route, PostJsonAsync)).WithTags("Authors")
            .WithSummary("Claim to be an author of the paper: {\"authorName\": one of its authors}. 201, pending an admin.")
            .Accepts<ClaimBody>(ApiDocs.JsonType).Produces<ApiClaim>(201).Fails(404, 409)
            .RequireAuthorization().RequireRateLimiting("comments").DisableAntiforgery().RequireCsrfForCookies();
        app.MapPaper("/api/papers", "", (e, route) => e.MapPatch(route, SetLinksAsync)).WithTags("Authors")
            .WithSummary("Set githubRepo and projectPage (https URLs; empty clears): verified authors and the submitter only.")
            .Accepts<LinksBody>(ApiDocs.JsonType).Produces<ApiPaper>().Fails(403, 404)
            .RequireAuthorization().DisableAntiforgery().RequireCsrfForCookies();
        var admin = app.MapGroup("/api/admin/claims").WithTags("Admin").RequireAuthorization(p => p.RequireRole(Roles.Admin)).DisableAntiforgery().RequireCsrfForCookies();
        admin.MapGet("", ListAsync).WithSummary("Claims, pending ones by default (?status=approved|rejected).").Produces<ApiClaimListed[]>();
        admin.MapPost("/{id:long}/approve", (long id, HttpContext c, AppDb db, TimeProvider t, CancellationToken ct) => DecideAsync(id, AuthorClaim.Approved, c, db, t, ct))
            .WithSummary("Approve a pending claim: the account shows as a verified author.").Produces(204).Fails(400, 404);
        admin.MapPost("/{id:long}/reject", (long id, HttpContext c, AppDb db, TimeProvider t, CancellationToken ct) => DecideAsync(id, AuthorClaim.Rejected, c, db, t, ct))
            .WithSummary("Reject a pending claim.").Produces(204).Fails(400, 404);
    }

    static async Task<IResult> PostJsonAsync(PaperKey route, HttpContext context, AppDb db, TimeProvider clock, CancellationToken ct)
    {
        var body = await Http.ReadJsonAsync<ClaimBody>(context, 8192, ct);
        var (status, error, claim) = await ClaimAsync(db, Auth.UserId(context.User)!.Value, route.Id, body?.AuthorName, clock.GetUtcNow().UtcDateTime, ct);
        return claim is null ? Http.Error(status, error) : Results.Json(new ApiClaim(claim.Id, claim.PaperId, claim.AuthorName, claim.Status), statusCode: 201);
    }

    /// <summary>A pending claim to be one of a paper's authors (as listed), once per account and paper; the API and the page call it.</summary>
    public static async Task<(int Status, string Error, AuthorClaim? Claim)> ClaimAsync(AppDb db, long me, string paperId, string? authorName, DateTime now, CancellationToken ct)
    {
        var paper = await db.Papers.AsNoTracking().SingleOrDefaultAsync(p => p.Id == paperId, ct);
        if (paper is null) return (404, $"no paper {paperId}", null);
        var name = PaperView.AuthorNames(paper).FirstOrDefault(n => string.Equals(n, authorName?.Trim(), StringComparison.OrdinalIgnoreCase));
        if (name is null) return (400, "authorName must be one of the paper's authors, as listed", null);
        if (await db.AuthorClaims.AnyAsync(c => c.UserId == me && c.PaperId == paperId, ct)) return (409, "you have already claimed this paper", null);
        var claim = new AuthorClaim { UserId = me, PaperId = paperId, AuthorName = name, Status = AuthorClaim.Pending, CreatedAt = now };
        db.AuthorClaims.Add(claim);
        await db.SaveChangesAsync(ct);
        return (201, "", claim);
    }

    static async Task<IResult> ListAsync(string? status, AppDb db, CancellationToken ct)
    {
        var s = status ?? AuthorClaim.Pending;
        return Results.Json(await db.AuthorClaims.AsNoTracking().Where(c => c.Status == s).OrderBy(c => c.Id)
            .Join(db.Users, c => c.UserId, u => u.Id, (c, u) => new ApiClaimListed(c.Id, c.PaperId, c.AuthorName, c.Status, u.Name, u.Email, c.CreatedAt))
            .ToListAsync(ct));
    }

    static async Task<IResult> DecideAsync(long id, string status, HttpContext context, AppDb db, TimeProvider clock, CancellationToken ct) =>
        await DecideAsync(db, Auth.UserId(context.User), id, status, clock.GetUtcNow().UtcDateTime, ct) ? Results.NoContent() : Http.Error(404, $"no pending claim {id}");

    /// <summary>An admin's decision on a pending claim, with the claimant's notification; false when there is no such claim.</summary>
    public static async Task<bool> DecideAsync(AppDb db, long? me, long id, string status, DateTime now, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var decided = await db.AuthorClaims.Where(c => c.Id == id && c.Status == AuthorClaim.Pending)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.Status, status).SetProperty(c => c.DecidedBy, me).SetProperty(c => c.DecidedAt, now), ct) == 1;
        if (!decided) return false;
        // The claimant learns the decision with it, in the same transaction.
        var claim = await db.AuthorClaims.AsNoTracking().SingleAsync(c => c.Id == id, ct);
        await Notifications.NotificationService.AddAsync(db, claim.UserId, Notifications.Notification.Claim,
            $"Your claim to be {claim.AuthorName} on {claim.PaperId} was {status}.", $"/papers/{claim.PaperId}", now, ct);
        await tx.CommitAsync(ct);
        return true;
    }

    static async Task<IResult> SetLinksAsync(PaperKey route, HttpContext context, AppDb db, CancellationToken ct)
    {
        var key = route.Id;
        if (await Http.ReadJsonAsync<LinksBody>(context, 8192, ct) is not { } body) return Http.Error(400, "the body must be JSON {\"githubRepo\": \"https://…\", \"projectPage\": \"https://…\"}");
        var paper = await db.Papers.SingleOrDefaultAsync(p => p.Id == key, ct);
        if (paper is null) return Http.Error(404, $"no paper {key}");
        var me = Auth.UserId(context.User)!.Value;
        var allowed = await db.AuthorClaims.AnyAsync(c => c.UserId == me && c.PaperId == key && c.Status == AuthorClaim.Approved, ct)
                      || await db.Submissions.AnyAsync(s => s.UserId == me && s.PaperId == key, ct);
        if (!allowed) return Http.Error(403, "only a verified author or the paper's submitter can set its links");
        foreach (var (name, value) in new[] { ("githubRepo", body.GithubRepo), ("projectPage", body.ProjectPage) })
            if (value is { Length: > 0 } v && (v.Length > 500 || !Uri.TryCreate(v, UriKind.Absolute, out var u) || u.Scheme != Uri.UriSchemeHttps))
                return Http.Error(400, $"{name} must be an https URL");
        if (body.GithubRepo is not null) paper.GithubRepo = body.GithubRepo.Length == 0 ? null : body.GithubRepo;
        if (body.ProjectPage is not null) paper.ProjectPage = body.ProjectPage.Length == 0 ? null : body.ProjectPage;
        await db.SaveChangesAsync(ct);
        return Results.Json(ApiPaper.From(paper));
    }
}
