using DailyPapers.Data;
using DailyPapers.Papers;
using Microsoft.AspNetCore.Antiforgery;

namespace DailyPapers.Accounts;

/// <summary>
/// `GET /api/me`: the one per-visitor request of a page. Lists and paper pages are the same for every reader (so
/// they can be cached and shared); the script asks here who the reader is, which of the page's papers they upvoted,
/// how many notifications wait, and the token its own calls send. Never cached.
/// </summary>
public static class MeApi
{
    public sealed record ApiMe(bool SignedIn, string? Name, string? Role, string? Email, int Unread, string Csrf, string[] Voted);

    const int MaxPapers = 200;

    public static void MapMe(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/me", GetAsync).WithTags("Accounts")
            .WithSummary("Who you are, for a page's script: name, role, unread notifications, which papers=id,id,… you upvoted, and the X-CSRF-Token for its calls.")
            .Produces<ApiMe>();

    static async Task<IResult> GetAsync(HttpContext context, AppDb db, IAntiforgery antiforgery, string? papers, CancellationToken ct)
    {
        context.Response.Headers.CacheControl = "no-store, private";
        var csrf = antiforgery.GetAndStoreTokens(context).RequestToken ?? "";
        if (await Auth.CurrentAsync(context) is not { } user) return Results.Json(new ApiMe(false, null, null, null, 0, csrf, []));
        var ids = (papers ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Take(MaxPapers).Select(p => ArxivId.TryParse(p, out var id, out _) ? id : null).OfType<string>().ToList();
        var voted = await Votes.VoteService.VotedAsync(db, user.Id, ids, ct);
        var unread = await Notifications.NotificationService.UnreadAsync(db, user.Id, ct);
        return Results.Json(new ApiMe(true, user.Name, user.Role, user.Email, unread, csrf, [.. voted]));
    }
}
