using System.Text;
using DailyPapers.Data;
using DailyPapers.Feed;
using DailyPapers.Search;
using DailyPapers.Web;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Papers;

/// <summary>One paper (JSON, page, Markdown), all papers cursor-paged, and the hub's counts and health.</summary>
public static class PapersApi
{
    public static void MapPapers(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/papers", ListJson).WithTags("Papers")
            .WithSummary("All papers by arXiv id, cursor-paged: follow the Link rel=\"next\" header.")
            .Query(new("cursor", "Where to go on: the value from the previous page's Link header, opaque."),
                new("limit", "Papers per page, 1-100 (default 50).", Microsoft.OpenApi.JsonSchemaType.Integer))
            .Produces<ApiPaper[]>().Fails(400).Shared();
        app.MapPaper("/api/papers", "", (e, route) => e.MapGet(route, GetJson)).WithTags("Papers").WithSummary("One paper, Hugging Face's shape.").Produces<ApiPaper>().Fails(404).Shared();
        app.MapPaper("/papers", "", (e, route) => e.MapGet(route, GetPage)).ExcludeFromDescription().Shared();
        app.MapPaper("/papers", ".md", (e, route) => e.MapGet(route, GetMarkdown)).WithTags("Papers").WithSummary("One paper as Markdown.").Shared();
        app.MapGet("/api/stats", Stats).WithTags("Hub").WithSummary("Counts of papers, daily entries and dates.").Produces<ApiStats>().Shared();
        app.MapGet("/healthz", Health).WithTags("Hub").WithSummary("200 when the database answers, 503 when not.");
    }

    static async Task<IResult> GetJson(PaperKey key, HttpContext context, AppDb db, CancellationToken ct) =>
        await FindAsync(key, context, db, ct) is { } paper ? Results.Json(ApiPaper.From(paper)) : Http.Error(404, $"no paper {key}");

    static async Task<IResult> GetMarkdown(PaperKey key, HttpContext context, AppDb db, CancellationToken ct)
    {
        if (await FindAsync(key, context, db, ct) is not { } paper) return Pages.Error(404, $"No paper {key} here.");
        var featured = await FeaturedAsync(paper, context, db, ct);
        return Results.Text(PaperMarkdown.Render(paper, featured, Http.BaseUrl(context)), "text/markdown; charset=utf-8");
    }

    static async Task<IResult> GetPage(PaperKey key, HttpContext context, AppDb db, SearchService search, CancellationToken ct)
    {
        // One address, two forms: a client that asks for Markdown (an agent, curl) gets the .md, a browser the page.
        context.Response.Headers.Vary = "Accept";
        if (WantsMarkdown(context.Request)) return await GetMarkdown(key, context, db, ct);
        if (await FindAsync(key, context, db, ct) is not { } paper) return Pages.Error(404, $"No paper {key} here.");
        var featured = await FeaturedAsync(paper, context, db, ct);
        var similar = await search.SimilarAsync(paper, 8, ct);
        var since = Votes.TrendingScores.FeaturedAt(paper.SubmittedOnDailyAt, featured.Count > 0 ? featured[0] : null, paper.PublishedAt);
        var clock = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var why = since is null ? null : Votes.Trending.Explain(paper.Counts.Upvotes, paper.Counts.Comments, since.Value, clock);
        var thread = await context.RequestServices.GetRequiredService<Comments.CommentService>().ThreadAsync(paper.Id, ct);
        var media = await Media.PaperMedium.ForAsync(db, paper, ct);
        var verified = (await db.AuthorClaims.Where(c => c.PaperId == paper.Id && c.Status == Claims.AuthorClaim.Approved).Select(c => c.AuthorName).ToListAsync(ct)).ToHashSet();
        return new Web.HtmlPage<PaperPage>(new { Paper = paper, Featured = featured, Similar = similar, TrendingWhy = why, Thread = thread, Verified = verified, Media = media });
    }

    /// <summary>Whether Accept ranks text/markdown at least as high as text/html (which browsers always name).</summary>
    static bool WantsMarkdown(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        double Quality(string type) => accept.Where(a => a.MediaType.Equals(type, StringComparison.OrdinalIgnoreCase))
            .Select(a => a.Quality ?? 1).DefaultIfEmpty(0).Max();
        var markdown = Quality("text/markdown");
        return markdown > 0 && markdown >= Quality("text/html");
    }

    /// <summary>The paper, as readers see it: a hidden one is not found, except by moderators, who must see what they restore.</summary>
    internal static Task<Paper?> FindAsync(PaperKey key, HttpContext context, AppDb db, CancellationToken ct) =>
        (Accounts.Auth.IsModerator(context.User) ? db.PapersIncludingHidden : db.Papers).AsNoTracking().FirstOrDefaultAsync(p => p.Id == key.Id, ct);

    /// <summary>The days it was featured, through the same eyes as FindAsync (a hidden paper's days for a moderator).</summary>
    internal static Task<List<DateOnly>> FeaturedAsync(Paper paper, HttpContext context, AppDb db, CancellationToken ct) =>
        (Accounts.Auth.IsModerator(context.User) ? db.DailyEntriesIncludingHidden : db.DailyEntries)
            .Where(e => e.PaperId == paper.Id).Select(e => e.Date).OrderBy(d => d).ToListAsync(ct);

    static async Task<IResult> ListJson(HttpContext context, AppDb db, CancellationToken ct)
    {
        var q = context.Request.Query;
        if (!FeedRequest.TryInt(q, "limit", 1, FeedRequest.MaxLimit, FeedRequest.DefaultLimit, out var limit, out var error))
            return Http.Error(400, error);
        string? after = null;
        if (q["cursor"].ToString() is { Length: > 0 } cursor && !TryDecode(cursor, out after))
            return Http.Error(400, "cursor is not one this API gave out");
        var papers = await db.Papers.AsNoTracking().Where(p => after == null || string.Compare(p.Id, after) > 0)
            .OrderBy(p => p.Id).Take(limit + 1).ToListAsync(ct);
        if (papers.Count > limit)
        {
            papers.RemoveAt(limit);
            var next = Http.With(context.Request, ("cursor", Encode(papers[^1].Id)), ("limit", limit.ToString()));
            context.Response.Headers.Link = $"<{Http.BaseUrl(context)}{next}>; rel=\"next\"";
        }
        return Results.Json(papers.Select(ApiPaper.From));
    }

    static async Task<IResult> Stats(AppDb db, Search.Embedder embedder, CancellationToken ct)
    {
        var papers = await db.Papers.CountAsync(ct);
        var entries = await db.DailyEntries.CountAsync(ct);
        var dates = await db.DailyEntries.Select(e => e.Date).Distinct().CountAsync(ct);
        var first = await db.DailyEntries.MinAsync(e => (DateOnly?)e.Date, ct);
        var last = await db.DailyEntries.MaxAsync(e => (DateOnly?)e.Date, ct);
        var model = embedder.ModelName;
        var embedded = await db.PaperVectors.CountAsync(v => v.Model == model, ct);
        return Results.Json(new ApiStats(papers, entries, dates, first, last, embedded));
    }

    static async Task<IResult> Health(AppDb db, CancellationToken ct)
    {
        try
        {
            await db.Papers.AnyAsync(ct);
            return Results.Json(new { status = "ok" });
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            return Http.Error(503, "database unreachable: " + ex.Message);
        }
    }

    // The cursor is the last id seen, opaque so clients do not build their own.
    static string Encode(string id) => Convert.ToBase64String(Encoding.UTF8.GetBytes(id)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    static bool TryDecode(string cursor, out string? id)
    {
        id = null;
        var b64 = cursor.Replace('-', '+').Replace('_', '/');
        b64 += new string('=', (4 - b64.Length % 4) % 4);
        var buffer = new byte[b64.Length];
        if (cursor.Length > 200 || !Convert.TryFromBase64String(b64, buffer, out var n)) return false;
        id = Encoding.UTF8.GetString(buffer, 0, n);
        return ArxivId.TryParse(id, out _, out _);
    }
}
