using DailyPapers.Accounts;
using DailyPapers.Papers;
using DailyPapers.Web;

namespace DailyPapers.Votes;

/// <summary>
/// Upvotes: `POST`/`DELETE /api/papers/{id}/upvote` for scripts (bearer token) and the page's script (cookie plus
/// the X-CSRF-Token header), and a plain form post for browsers without script, which returns to the page.
/// Trending: the list, its feed and the published formula.
/// </summary>
public static class VotesApi
{
    public sealed record UpvoteResponse(string PaperId, bool Upvoted, int Upvotes);

    public static void MapVotes(this IEndpointRouteBuilder app)
    {
        // Old-style ids hold a slash (math/0601001), so the action is read from the end of a catch-all.
        app.MapPost("/api/papers/{**path:regex(/upvote$)}", (string path, HttpContext c, VoteService votes, CancellationToken ct) => ApiAsync(path, true, c, votes, ct))
            .WithTags("Votes").WithSummary("POST /api/papers/{id}/upvote: upvote (idempotent). Needs a session or a bearer token.")
            .RequireAuthorization().RequireRateLimiting("votes").DisableAntiforgery().RequireCsrfForCookies();
        app.MapDelete("/api/papers/{**path:regex(/upvote$)}", (string path, HttpContext c, VoteService votes, CancellationToken ct) => ApiAsync(path, false, c, votes, ct))
            .WithTags("Votes").WithSummary("DELETE /api/papers/{id}/upvote: withdraw the upvote (idempotent).")
            .RequireAuthorization().RequireRateLimiting("votes").DisableAntiforgery().RequireCsrfForCookies();
        app.MapPost("/papers/{**path:regex(/upvote$)}", FormAsync).ExcludeFromDescription().RequireRateLimiting("votes").DisableAntiforgery();
    }

    static async Task<IResult> ApiAsync(string path, bool up, HttpContext context, VoteService votes, CancellationToken ct)
    {
        if (!path.EndsWith("/upvote", StringComparison.Ordinal)) return Http.Error(404, "not found");
        var id = path[..^"/upvote".Length];
        if (!ArxivId.TryParse(id, out var key, out _)) return Http.Error(400, $"id '{Ingest.Text.Clip(id)}' is not an arXiv id");
        var state = await votes.SetAsync(Auth.UserId(context.User)!.Value, key, up, ct);
        return state is null ? Http.Error(404, $"no paper {key}") : Results.Json(new UpvoteResponse(state.PaperId, state.Upvoted, state.Upvotes));
    }

    // Without script: the button posts a form; the vote toggles and the browser goes back to where it was.
    static async Task<IResult> FormAsync(string path, HttpContext context, VoteService votes, CancellationToken ct)
    {
        if (!path.EndsWith("/upvote", StringComparison.Ordinal)) return Pages.Error(404, "Not found", "There is no page at this address.");
        var id = path[..^"/upvote".Length];
        if (!ArxivId.TryParse(id, out var key, out _)) return Pages.Error(400, "Bad request", $"'{Ingest.Text.Clip(id)}' is not an arXiv id.");
        if (Auth.UserId(context.User) is not { } user) return Results.Redirect("/account/signin");
        if (!context.Request.HasFormContentType || !await Auth.AntiforgeryOkAsync(context))
            return Pages.Error(400, "Bad request", "The form expired or did not come from this site. Reload the page and try again.");
        var current = await votes.StateAsync(user, key, ct);
        if (current is null) return Pages.Error(404, "Not found", $"No paper {key} here yet.");
        await votes.SetAsync(user, key, !current.Upvoted, ct);
        var back = context.Request.Form["back"].ToString();
        // Only back to a page of this site: an open redirect would let a link send people anywhere under our name.
        return Results.Redirect(back.StartsWith('/') && !back.StartsWith("//") ? back : $"/papers/{key}");
    }
}
