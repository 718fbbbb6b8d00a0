using System.Text.Json;
using DailyPapers.Accounts;
using DailyPapers.Web;

namespace DailyPapers.Submissions;

/// <summary>`POST /api/submissions` {"arxivId" (or an arxiv.org URL), "comment"}: put a paper on today's list.</summary>
public static class SubmissionsApi
{
    public sealed record Body(string? ArxivId, string? Url, string? Comment);

    public static void MapSubmissions(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/submissions", PostAsync).WithTags("Daily papers")
            .WithSummary("Submit a paper to today's list by arXiv id or URL, with an optional comment. 201, or 400/404/409/503 with the reason.")
            .RequireAuthorization().RequireRateLimiting("comments").DisableAntiforgery().RequireCsrfForCookies();

    static async Task<IResult> PostAsync(HttpContext context, SubmissionService submissions, CancellationToken ct)
    {
        var body = await Http.ReadJsonAsync<Body>(context, 64 * 1024, ct);
        if (body is null) return Http.Error(400, "the body must be JSON {\"arxivId\": \"…\", \"comment\": \"…\"}");
        var user = (await Auth.CurrentAsync(context))!;
        var (result, message, id) = await submissions.SubmitAsync(user, body.ArxivId ?? body.Url, body.Comment, ct);
        return result switch
        {
            SubmitResult.Added => Results.Json(new { paperId = id, message }, statusCode: 201),
            SubmitResult.NotFound => Http.Error(404, message),
            SubmitResult.Refused => Http.Error(409, message),
            SubmitResult.Unavailable => Http.Error(503, message),
            _ => Http.Error(400, message),
        };
    }
}
