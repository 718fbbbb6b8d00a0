using System.Text.Json;
using DailyPapers.Accounts;
using DailyPapers.Data;
using DailyPapers.Papers;
using DailyPapers.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Follows;

/// <summary>
/// Follows (`/api/follows`; the follow buttons of author, category and organisation pages post `/follows`; `/follows`
/// lists them) and the "For you" ranking (`/api/for-you`, `/for-you`).
/// </summary>
public static class FollowsApi
{
    public sealed record FollowBody(string? Kind, string? Value);
    public sealed record ApiFollow(string Kind, string Value);
    public sealed record ApiForYou(ApiPaper Paper, bool Followed);
    public const int MaxPerUser = 100;

    public static void MapFollows(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Follows").RequireAuthorization().DisableAntiforgery().RequireCsrfForCookies();
        api.MapGet("/follows", List).WithSummary("What you follow.").Produces<ApiFollow[]>();
        api.MapPost("/follows", (HttpContext c, AppDb db, TimeProvider clock, CancellationToken ct) => ChangeAsync(c, db, clock, true, ct))
            .WithSummary("Follow: {\"kind\": \"author\"|\"category\"|\"keyword\"|\"organization\", \"value\"}. Idempotent.")
            .Accepts<FollowBody>(ApiDocs.JsonType).Produces(204).Fails(400, 409);
        api.MapDelete("/follows", (HttpContext c, AppDb db, TimeProvider clock, CancellationToken ct) => ChangeAsync(c, db, clock, false, ct))
            .WithSummary("Unfollow: the same body.").Accepts<FollowBody>(ApiDocs.JsonType).Produces(204).Fails(400);
        api.MapGet("/for-you", Json).WithSummary("Recent papers ranked for you: follows first, then what resembles your upvotes and bookmarks.")
            .Query(new ApiQuery("limit", "Papers, 1-100 (default 30).", Microsoft.OpenApi.JsonSchemaType.Integer)).Produces<ApiForYou[]>().Fails(400);
        app.MapGet("/for-you", Page).ExcludeFromDescription();
        app.MapGet("/follows", FollowsPage).ExcludeFromDescription().RequireAuthorization();
        app.MapPost("/follows", (HttpContext c, AppDb db, TimeProvider clock, CancellationToken ct) => FormAsync(c, db, clock, true, ct)).ExcludeFromDescription().DisableAntiforgery();
        app.MapPost("/follows/remove", (HttpContext c, AppDb db, TimeProvider clock, CancellationToken ct) => FormAsync(c, db, clock, false, ct)).ExcludeFromDescription().DisableAntiforgery().RequireAuthorization();
    }

    static async Task<IResult> List(HttpContext context, AppDb db, CancellationToken ct)
    {
        var me = Auth.UserId(context.User);
        return Results.Json(await db.Follows.AsNoTracking().Where(f => f.UserId == me).OrderBy(f => f.Kind).ThenBy(f => f.Value)
            .Select(f => new ApiFollow(f.Kind, f.Value)).ToListAsync(ct));
    }

    static async Task<IResult> ChangeAsync(HttpContext context, AppDb db, TimeProvider clock, bool follow, CancellationToken ct)
    {
        var body = await Http.ReadJsonAsync<FollowBody>(context, 4096, ct);
        if (body is null) return Http.Error(400, "the body must be JSON {\"kind\": \"author\"|\"category\"|\"keyword\", \"value\": \"…\"}");
        if (!TryFollow(body, out var kind, out var value, out var error)) return Http.Error(400, error);
        var refusal = await SetAsync(db, Auth.UserId(context.User)!.Value, kind, value, follow, clock.GetUtcNow().UtcDateTime, ct);
        return refusal is null ? Results.NoContent() : Http.Error(409, refusal);
    }

    /// <summary>Follows or unfollows (both idempotent); the refusal when an account already follows the most it may.</summary>
    static async Task<string?> SetAsync(AppDb db, long me, string kind, string value, bool follow, DateTime now, CancellationToken ct)
    {
        if (!follow)
        {
            await db.Follows.Where(f => f.UserId == me && f.Kind == kind && f.Value == value).ExecuteDeleteAsync(ct);
            return null;
        }
        if (await db.Follows.CountAsync(f => f.UserId == me, ct) >= MaxPerUser) return $"you follow {MaxPerUser} things, the most one account may";
        await db.Database.ExecuteSqlAsync($"INSERT INTO follows (user_id, kind, value, created_at) VALUES ({me}, {kind}, {value}, {Data.AppDb.ToMicroseconds(now)}) ON CONFLICT DO NOTHING", ct);
        return null;
    }

    // The follow buttons on shared pages carry no token (Auth.FormFromThisSiteAsync); the answer is the reader's own
    // page of follows, since the page they came from shows nothing of them.
    static async Task<IResult> FormAsync(HttpContext context, AppDb db, TimeProvider clock, bool follow, CancellationToken ct)
    {
        var f = await Http.ReadFormAsync(context, 4096, 8);
        var back = Http.IsLocalUrl(f["back"]) ? f["back"].ToString() : "/follows";
        if (Auth.UserId(context.User) is not { } me) return Results.Redirect("/account/signin?ReturnUrl=" + Uri.EscapeDataString(back));
        if (!await Auth.FormFromThisSiteAsync(context)) return Pages.Confirm(context, f, $"{(follow ? "Follow" : "Stop following")} {f["kind"]} {f["value"]}?", "Confirm");
        if (!TryFollow(new FollowBody(f["kind"], f["value"]), out var kind, out var value, out var error)) return Pages.Error(400, error);
        if (await SetAsync(db, me, kind, value, follow, clock.GetUtcNow().UtcDateTime, ct) is { } refusal) return Pages.Error(409, refusal);
        return Flash.Redirect(context, "/follows?back=" + Uri.EscapeDataString(back), follow ? $"You follow the {kind} {value}." : $"You no longer follow the {kind} {value}.");
    }

    static async Task<IResult> FollowsPage(HttpContext context, AppDb db, string? back, CancellationToken ct)
    {
        var me = Auth.UserId(context.User)!.Value;
        var follows = await db.Follows.AsNoTracking().Where(f => f.UserId == me).OrderBy(f => f.Kind).ThenBy(f => f.Value).ToListAsync(ct);
        return new RazorComponentResult<FollowsPage>(new { Follows = follows, Back = Http.IsLocalUrl(back) ? back : null });
    }

    /// <summary>The same rules as a digest's topics: arXiv category names, keywords and names of bounded length.</summary>
    static bool TryFollow(FollowBody body, out string kind, out string value, out string error)
    {
        kind = (body.Kind ?? "").Trim().ToLowerInvariant();
        value = Ingest.Text.Squash(body.Value) ?? "";
        if (!Follow.Kinds.Contains(kind)) { error = $"kind must be one of: {string.Join(", ", Follow.Kinds)}"; return false; }
        var topics = new Digest.Topics(kind == "category" ? [value] : [], kind == "keyword" ? [value] : [], null, kind == "author" ? [value] : [])
            { Organizations = kind == "organization" ? [value] : [] };
        if (value.Length == 0) { error = "value is required"; return false; }
        if (!Digest.SubscriptionRules.TryPreferences(null, null, topics, out var clean, out error)) return false;
        // Stored as the rules read it (cs.lg is cs.LG), so the matchers see what a digest topic would be.
        if (kind == "category") value = clean.Topics.Categories[0];
        return true;
    }

    static async Task<IResult> Json(HttpContext context, AppDb db, ForYou forYou, CancellationToken ct)
    {
        if (!Feed.FeedRequest.TryInt(context.Request.Query, "limit", 1, 100, 30, out var limit, out var error)) return Http.Error(400, error);
        var (ids, matched) = await forYou.RankAsync(Auth.UserId(context.User)!.Value, limit, ct);
        var papers = await db.Papers.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        return Results.Json(ids.Where(papers.ContainsKey).Select((id, i) => new ApiForYou(ApiPaper.From(papers[id]), i < matched)));
    }

    static async Task<IResult> Page(HttpContext context, AppDb db, ForYou forYou, CancellationToken ct)
    {
        if (Auth.UserId(context.User) is not { } me) return Results.Redirect("/account/signin?ReturnUrl=%2Ffor-you");
        var (ids, matched) = await forYou.RankAsync(me, 30, ct);
        var papers = await db.Papers.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var follows = await db.Follows.AsNoTracking().Where(f => f.UserId == me).OrderBy(f => f.Kind).ThenBy(f => f.Value).ToListAsync(ct);
        var note = follows.Any(f => f.Kind == "category") ? ArxivCategory.CoverageNote(await ArxivCategory.CoverageAsync(db, ct)) : null;
        return new RazorComponentResult<ForYouPage>(new { Papers = ids.Where(papers.ContainsKey).Select(id => papers[id]).ToList(), Matched = matched, Follows = follows, CategoryNote = note });
    }
}
