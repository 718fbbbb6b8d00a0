using DailyPapers.Accounts;
using DailyPapers.Papers;
using DailyPapers.Web;

namespace DailyPapers.Votes;

/// <summary>
/// Upvotes: `POST`/`DELETE /api/papers/{id}/upvote` for scripts (bearer token) and the page's script (cookie plus
/// the X-CSRF-Token header), and a plain form post for browsers without script, which returns to the page.
/// </summary>
public static class VotesApi
{
    public sealed record UpvoteResponse(string PaperId, bool Upvoted, int Upvotes);

    public static void MapVotes(this IEndpointRouteBuilder app)
    {
        app.MapPaper("/api/papers", "/upvote", (e, route) => e.MapPost(route, (PaperKey paper, HttpContext c, VoteService votes, CancellationToken ct) => ApiAsync(paper, true, c, votes, ct)))
            .WithTags("Votes").WithSummary("Upvote (idempotent). Needs a session or a bearer token.").Produces<UpvoteResponse>().Fails(404)
            .RequireAuthorization().RequireRateLimiting("votes").DisableAntiforgery().RequireCsrfForCookies();
        app.MapPaper("/api/papers", "/upvote", (e, route) => e.MapDelete(route, (PaperKey paper, HttpContext c, VoteService votes, CancellationToken ct) => ApiAsync(paper, false, c, votes, ct)))
            .WithTags("Votes").WithSummary("Withdraw the upvote (idempotent).").Produces<UpvoteResponse>().Fails(404)
            .RequireAuthorization().RequireRateLimiting("votes").DisableAntiforgery().RequireCsrfForCookies();
        app.MapPaper("/papers", "/upvote", (e, route) => e.MapPost(route, FormAsync)).ExcludeFromDescription().RequireRateLimiting("votes").DisableAntiforgery();
    }

    static async Task<IResult> ApiAsync(PaperKey paper, bool up, HttpContext context, VoteService votes, CancellationToken ct)
    {
        var state = await votes.SetAsync(Auth.UserId(context.User)!.Value, paper.Id, up, ct);
        return state is null ? Http.Error(404, $"no paper {paper}") : Results.Json(new UpvoteResponse(state.PaperId, state.Upvoted, state.Upvotes));
    }

    // Without script: the button posts a form; the vote toggles and the browser goes back to where it was. A reader
    // who is not signed in is sent to sign in, and the vote is cast once they have.
    static async Task<IResult> FormAsync(PaperKey paper, HttpContext context, VoteService votes, CancellationToken ct)
    {
        var form = await Http.ReadFormAsync(context);
        if (!await Auth.FormFromThisSiteAsync(context)) return Pages.Confirm(context, form, $"Upvote (or withdraw your upvote of) paper {paper}?", "Confirm the vote");
        var back = Http.IsLocalUrl(form["back"]) ? form["back"].ToString() : $"/papers/{paper}";
        var current = await votes.StateAsync(Auth.UserId(context.User), paper.Id, ct);
        if (current is null) return Pages.Error(404, $"No paper {paper} here.");
        if (Auth.UserId(context.User) is not { } user)
        {
            PendingVote.Remember(context, paper.Id);
            return Results.Redirect("/account/signin?ReturnUrl=" + Uri.EscapeDataString(back));
        }
        await votes.SetAsync(user, paper.Id, !current.Upvoted, ct);
        return Results.Redirect(back);
    }
}

/// <summary>
/// An upvote clicked before signing in, kept in a one-time cookie and cast right after the sign-in. Only the vote
/// form (with its antiforgery token) can set it, so no link from elsewhere can make someone vote by signing in.
/// </summary>
public static class PendingVote
{
    const string Cookie = "dp_vote";

    public static void Remember(HttpContext context, string paperId) => OneTimeCookie.Set(context, Cookie, paperId, TimeSpan.FromMinutes(15));

    public static async Task CastAsync(HttpContext context, long userId, CancellationToken ct)
    {
        if (OneTimeCookie.Take(context, Cookie) is not { } id || !ArxivId.TryParse(id, out var key, out _)) return;
        await context.RequestServices.GetRequiredService<VoteService>().SetAsync(userId, key, up: true, ct);
    }
}
