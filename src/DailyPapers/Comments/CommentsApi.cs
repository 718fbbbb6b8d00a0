using DailyPapers.Accounts;
using DailyPapers.Data;
using DailyPapers.Papers;
using DailyPapers.Web;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Comments;

/// <summary>
/// Comments in the API (`GET`/`POST /api/papers/{id}/comments`, `PATCH`/`DELETE /api/comments/{id}`,
/// `POST /api/comments/{id}/hide` for moderators) and the form under each paper. Every write needs an account, and
/// with a session cookie the antiforgery token.
/// </summary>
public static class CommentsApi
{
    public sealed record PostBody(string? Body, long? ParentId);

    public static void MapComments(this IEndpointRouteBuilder app)
    {
        app.MapPaper("/api/papers", "/comments", (e, route) => e.MapGet(route, GetThread)).WithTags("Comments").WithSummary("The paper's comment thread, oldest first.")
            .Produces<CommentView[]>().Fails(404);
        app.MapPaper("/api/papers", "/comments", (e, route) => e.MapPost(route, PostJson)).WithTags("Comments")
            .WithSummary("Comment: {\"body\": Markdown, \"parentId\": optional}: 201 with the comment.")
            .Accepts<PostBody>(ApiDocs.JsonType).Produces<CommentView>(201).Fails(404)
            .RequireAuthorization().RequireRateLimiting("comments").DisableAntiforgery().RequireCsrfForCookies();
        app.MapMethods("/api/comments/{id:long}", ["PATCH"], Edit).WithTags("Comments").WithSummary("Edit your comment: {\"body\"}.")
            .Accepts<PostBody>(ApiDocs.JsonType).Produces(204).Fails(400, 403, 404)
            .RequireAuthorization().RequireRateLimiting("comments").DisableAntiforgery().RequireCsrfForCookies();
        app.MapDelete("/api/comments/{id:long}", (long id, HttpContext c, CommentService s, CancellationToken ct) => RemoveAsync(id, false, c, s, ct))
            .WithTags("Comments").WithSummary("Delete your comment (moderators: any).").Produces(204).Fails(400, 403, 404).RequireAuthorization().DisableAntiforgery().RequireCsrfForCookies();
        app.MapPost("/api/comments/{id:long}/hide", (long id, HttpContext c, CommentService s, CancellationToken ct) => RemoveAsync(id, true, c, s, ct))
            .WithTags("Comments").WithSummary("Hide a comment (moderators and admins).").Produces(204).Fails(400, 403, 404).RequireAuthorization().DisableAntiforgery().RequireCsrfForCookies();
        app.MapPaper("/papers", "/comments", (e, route) => e.MapPost(route, PostForm)).ExcludeFromDescription().RequireRateLimiting("comments").DisableAntiforgery();
    }

    static async Task<IResult> GetThread(PaperKey paper, AppDb db, CommentService comments, CancellationToken ct) =>
        await db.Papers.AnyAsync(p => p.Id == paper.Id, ct) ? Results.Json(await comments.ThreadAsync(paper.Id, ct)) : Http.Error(404, $"no paper {paper}");

    static async Task<IResult> PostJson(PaperKey paper, HttpContext context, CommentService comments, CancellationToken ct)
    {
        var key = paper.Id;
        if (await BodyAsync(context, ct) is not { } body) return Http.Error(400, $"the body must be JSON {{\"body\": \"…\"}} of at most {CommentMarkdown.MaxLength} characters");
        var user = (await Auth.CurrentAsync(context))!;
        var (comment, error, message) = await comments.AddAsync(user, key, body.ParentId, body.Body ?? "", ct);
        return error switch
        {
            CommentError.None => Results.Json(new CommentView(comment!.Id, comment.ParentId, user.Name, comment.Html, comment.CreatedAt, null, false), statusCode: 201),
            CommentError.NotFound => Http.Error(404, message),
            _ => Http.Error(400, message),
        };
    }

    static async Task<IResult> Edit(long id, HttpContext context, CommentService comments, CancellationToken ct)
    {
        if (await BodyAsync(context, ct) is not { } body) return Http.Error(400, "the body must be JSON {\"body\": \"…\"}");
        var (error, message) = await comments.EditAsync((await Auth.CurrentAsync(context))!, id, body.Body ?? "", ct);
        return Answer(error, message);
    }

    static async Task<IResult> RemoveAsync(long id, bool hide, HttpContext context, CommentService comments, CancellationToken ct)
    {
        var (error, message) = await comments.RemoveAsync((await Auth.CurrentAsync(context))!, id, hide, ct);
        return Answer(error, message);
    }

    static IResult Answer(CommentError error, string message) => error switch
    {
        CommentError.None => Results.NoContent(),
        CommentError.NotFound => Http.Error(404, message),
        CommentError.Forbidden => Http.Error(403, message),
        _ => Http.Error(400, message),
    };

    // A comment's characters may take up to 4 bytes each in UTF-8, plus the JSON around them.
    static Task<PostBody?> BodyAsync(HttpContext context, CancellationToken ct) =>
        Http.ReadJsonAsync<PostBody>(context, CommentMarkdown.MaxLength * 4 + 1024, ct);

    // Without script: the form under the paper posts here and the page comes back at the new comment.
    static async Task<IResult> PostForm(PaperKey paper, HttpContext context, CommentService comments, CancellationToken ct)
    {
        var key = paper.Id;
        if (await Auth.CurrentAsync(context) is not { } user) return Results.Redirect($"/account/signin?ReturnUrl={Uri.EscapeDataString($"/papers/{key}#comments")}");
        var form = await Http.ReadFormAsync(context, CommentMarkdown.MaxLength * 4 + 1024, maxFields: 8);
        if (!await Auth.FormFromThisSiteAsync(context)) return Pages.Confirm(context, form, $"Post this comment on paper {key}?", "Post the comment");
        long? parent = long.TryParse(form["parentId"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p) ? p : null;
        var (comment, error, message) = await comments.AddAsync(user, key, parent, form["body"].ToString(), ct);
        return error == CommentError.None ? Results.Redirect($"/papers/{key}#c{comment!.Id}")
            : Pages.Error(error == CommentError.NotFound ? 404 : 400, "Comment not posted", message);
    }
}
