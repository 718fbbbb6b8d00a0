using DailyPapers.Accounts;
using DailyPapers.Data;
using DailyPapers.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Comments;

/// <summary>
/// A comment's own page (/comments/{id}): its author edits or deletes it, a moderator hides it, anyone signed in
/// reports it. The paper page is the same for every reader, so what a reader may do with a comment lives here.
/// </summary>
public static class CommentPages
{
    public static void MapCommentPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/comments/{id:long}", Page).ExcludeFromDescription();
        app.MapPost("/comments/{id:long}/edit", (long id, HttpContext c, CommentService s, AppDb db, CancellationToken ct) => ActAsync(id, "edit", c, s, db, ct)).ExcludeFromDescription().DisableAntiforgery().RequireAuthorization().RequireRateLimiting("comments");
        app.MapPost("/comments/{id:long}/delete", (long id, HttpContext c, CommentService s, AppDb db, CancellationToken ct) => ActAsync(id, "delete", c, s, db, ct)).ExcludeFromDescription().DisableAntiforgery().RequireAuthorization();
        app.MapPost("/comments/{id:long}/hide", (long id, HttpContext c, CommentService s, AppDb db, CancellationToken ct) => ActAsync(id, "hide", c, s, db, ct)).ExcludeFromDescription().DisableAntiforgery().RequireAuthorization();
        app.MapPost("/comments/{id:long}/report", ReportAsync).ExcludeFromDescription().DisableAntiforgery().RequireAuthorization().RequireRateLimiting("comments");
    }

    static async Task<IResult> Page(long id, HttpContext context, AppDb db, CancellationToken ct)
    {
        if (await VisibleAsync(id, db, ct) is not { } found) return Pages.Error(404, $"No comment {id} here.");
        var user = await Auth.CurrentAsync(context);
        return new RazorComponentResult<CommentPage>(new { Comment = found.Comment, PaperTitle = found.Title, Author = found.Author, User = user });
    }

    /// <summary>A comment readers can see, on a paper readers can see, with the paper's title and the author's name.</summary>
    static async Task<(Comment Comment, string Title, string Author)?> VisibleAsync(long id, AppDb db, CancellationToken ct)
    {
        var row = await db.Comments.AsNoTracking().Where(Comment.IsVisible).Where(c => c.Id == id)
            .Join(db.Papers, c => c.PaperId, p => p.Id, (c, p) => new { Comment = c, p.Title })
            .Join(db.Users, x => x.Comment.UserId, u => u.Id, (x, u) => new { x.Comment, x.Title, u.Name }).SingleOrDefaultAsync(ct);
        return row is null ? null : (row.Comment, row.Title, row.Name);
    }

    static async Task<IResult> ActAsync(long id, string action, HttpContext context, CommentService comments, AppDb db, CancellationToken ct)
    {
        if (await FormAsync(context, id) is not { } form) return Pages.Error(400, "The form expired or did not come from this site. Reload the page and try again.");
        if (await Auth.CurrentAsync(context) is not { } user) return Results.Redirect($"/account/signin?ReturnUrl=%2Fcomments%2F{id}");
        var paper = await db.Comments.Where(c => c.Id == id).Select(c => c.PaperId).SingleOrDefaultAsync(ct);
        var (error, message) = action == "edit" ? await comments.EditAsync(user, id, form["body"].ToString(), ct)
            : await comments.RemoveAsync(user, id, hide: action == "hide", ct);
        return error switch
        {
            CommentError.None => Results.Redirect(action == "edit" ? $"/papers/{paper}#c{id}" : $"/papers/{paper}#comments"),
            CommentError.NotFound => Pages.Error(404, message),
            CommentError.Forbidden => Pages.Error(403, message),
            _ => Pages.Error(400, message),
        };
    }

    static async Task<IResult> ReportAsync(long id, HttpContext context, AppDb db, TimeProvider clock, CancellationToken ct)
    {
        if (await FormAsync(context, id) is not { } form) return Pages.Error(400, "The form expired or did not come from this site. Reload the page and try again.");
        if (Auth.UserId(context.User) is not { } me) return Results.Redirect($"/account/signin?ReturnUrl=%2Fcomments%2F{id}");
        var reason = Ingest.Text.Squash(form["reason"]) ?? "";
        if (reason.Length is 0 or > ModerationApi.MaxReason) return Pages.Error(400, $"Say why in 1 to {ModerationApi.MaxReason} characters.");
        if (await VisibleAsync(id, db, ct) is null) return Pages.Error(404, $"No comment {id} here.");
        db.Reports.Add(new Report { UserId = me, Kind = "comment", Target = id.ToString(System.Globalization.CultureInfo.InvariantCulture), Reason = reason, CreatedAt = clock.GetUtcNow().UtcDateTime });
        await db.SaveChangesAsync(ct);
        return Flash.Redirect(context, $"/comments/{id}", "Thank you: the moderators will look at it.");
    }

    // The forms are on this per-visitor page, with the visitor's token.
    static async Task<IFormCollection?> FormAsync(HttpContext context, long id)
    {
        var form = await Http.ReadFormAsync(context, CommentMarkdown.MaxLength * 4 + 1024, 8);
        return await Auth.AntiforgeryOkAsync(context) ? form : null;
    }
}
