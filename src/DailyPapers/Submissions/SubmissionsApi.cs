using System.Text.Json;
using DailyPapers.Accounts;
using DailyPapers.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace DailyPapers.Submissions;

/// <summary>`POST /api/submissions` {"arxivId" (or an arxiv.org URL), "comment"}: put a paper on today's list.</summary>
public static class SubmissionsApi
{
    public sealed record SubmissionBody(string? ArxivId, string? Url, string? Comment);
    public sealed record ApiSubmitted(string PaperId, string Message);

    public static void MapSubmissions(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/submissions", PostAsync).WithTags("Daily papers")
            .WithSummary("Submit a paper to today's list by arXiv id or URL, with an optional comment. 201, or 400/404/409/503 with the reason.")
            .Accepts<SubmissionBody>(ApiDocs.JsonType).Produces<ApiSubmitted>(201).Fails(400, 404, 409, 503)
            .RequireAuthorization().RequireRateLimiting("comments").DisableAntiforgery().RequireCsrfForCookies();
        app.MapGet("/submit", (HttpContext c, IOptions<AppOptions> o) => Page(c, o, null, null, null, 200)).ExcludeFromDescription();
        app.MapPost("/submit", FormAsync).ExcludeFromDescription().RequireAuthorization().RequireRateLimiting("comments").DisableAntiforgery();
    }

    // The page's form: a refusal comes back on the page with the reason and what was typed; success opens the paper.
    static async Task<IResult> FormAsync(HttpContext context, SubmissionService submissions, IOptions<AppOptions> options, CancellationToken ct)
    {
        var f = await Http.ReadFormAsync(context, 64 * 1024, 4);
        if (!await Auth.AntiforgeryOkAsync(context)) return Pages.Error(400, "The form expired or did not come from this site. Reload the page and try again.");
        var comment = f["comment"].ToString() is { Length: > 0 } c ? c : null;
        var (result, message, id) = await submissions.SubmitAsync((await Auth.CurrentAsync(context))!, f["arxivId"], comment, ct);
        if (result == SubmitResult.Added) return Results.Redirect($"/papers/{id}");
        var status = result switch { SubmitResult.NotFound => 404, SubmitResult.Refused => 409, SubmitResult.Unavailable => 503, _ => 400 };
        return Page(context, options, message, f["arxivId"], comment, status);
    }

    static IResult Page(HttpContext context, IOptions<AppOptions> options, string? refusal, string? input, string? comment, int status) =>
        new RazorComponentResult<SubmitPage>(new { Rules = options.Value.Submissions, SignedIn = Auth.UserId(context.User) is not null, Refusal = refusal, Input = input, Comment = comment })
            { StatusCode = status };

    static async Task<IResult> PostAsync(HttpContext context, SubmissionService submissions, CancellationToken ct)
    {
        var body = await Http.ReadJsonAsync<SubmissionBody>(context, 64 * 1024, ct);
        if (body is null) return Http.Error(400, "the body must be JSON {\"arxivId\": \"…\", \"comment\": \"…\"}");
        var user = (await Auth.CurrentAsync(context))!;
        var (result, message, id) = await submissions.SubmitAsync(user, body.ArxivId ?? body.Url, body.Comment, ct);
        return result switch
        {
            SubmitResult.Added => Results.Json(new ApiSubmitted(id!, message), statusCode: 201),
            SubmitResult.NotFound => Http.Error(404, message),
            SubmitResult.Refused => Http.Error(409, message),
            SubmitResult.Unavailable => Http.Error(503, message),
            _ => Http.Error(400, message),
        };
    }
}
