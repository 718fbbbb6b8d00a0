using DailyPapers.Accounts;
using DailyPapers.Data;
using DailyPapers.Papers;
using DailyPapers.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Claims;

/// <summary>Claiming authorship from a page (/papers/{id}/claim, linked from every paper page), without script.</summary>
public static class ClaimPages
{
    public static void MapClaimPages(this IEndpointRouteBuilder app)
    {
        app.MapPaper("/papers", "/claim", (e, route) => e.MapGet(route, PageAsync)).ExcludeFromDescription().RequireAuthorization();
        app.MapPaper("/papers", "/claim", (e, route) => e.MapPost(route, PostAsync)).ExcludeFromDescription().DisableAntiforgery().RequireAuthorization().RequireRateLimiting("comments");
    }

    static async Task<IResult> PageAsync(PaperKey key, HttpContext context, AppDb db, CancellationToken ct)
    {
        if (await db.Papers.AsNoTracking().SingleOrDefaultAsync(p => p.Id == key.Id, ct) is not { } paper) return Pages.Error(404, $"No paper {key} here.");
        var me = Auth.UserId(context.User)!.Value;
        var existing = await db.AuthorClaims.AsNoTracking().SingleOrDefaultAsync(c => c.UserId == me && c.PaperId == paper.Id, ct);
        return new RazorComponentResult<ClaimPage>(new { Paper = paper, Existing = existing });
    }

    static async Task<IResult> PostAsync(PaperKey key, HttpContext context, AppDb db, TimeProvider clock, CancellationToken ct)
    {
        var form = await Http.ReadFormAsync(context, 4096, 4);
        if (!await Auth.AntiforgeryOkAsync(context)) return Pages.Error(400, "The form expired or did not come from this site. Reload the page and try again.");
        var (status, error, claim) = await ClaimsApi.ClaimAsync(db, Auth.UserId(context.User)!.Value, key.Id, form["authorName"], clock.GetUtcNow().UtcDateTime, ct);
        return claim is null ? Pages.Error(status, error) : Flash.Redirect(context, $"/papers/{key}/claim", $"Your claim to be {claim.AuthorName} waits for an admin.");
    }
}
