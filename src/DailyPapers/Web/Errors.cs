using Microsoft.AspNetCore.Diagnostics;

namespace DailyPapers.Web;

/// <summary>
/// Every error answer of the hub in one of two formats, chosen by the route, never by the failure: the API and the
/// feeds (machines read them) answer the API's JSON {"error": "…"}; every other route answers an HTML page with the
/// same status and message. Handlers, the framework's own refusals, status codes without a body, rate limits and
/// unhandled exceptions all end here.
/// </summary>
public static class Errors
{
    /// <summary>True for routes read by programs: /api/…, /openapi/…, /mcp, and every RSS or Atom feed.</summary>
    public static bool IsMachineRoute(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/openapi") || request.Path.StartsWithSegments("/mcp") ||
        request.Path.Value is { } p && (p.EndsWith(".rss", StringComparison.Ordinal) || p.EndsWith(".atom", StringComparison.Ordinal));

    public static IResult For(HttpContext context, int status, string message) =>
        IsMachineRoute(context.Request) ? Http.Error(status, message) : Pages.Error(status, Heading(status), message);

    public static Task WriteAsync(HttpContext context, int status, string message) => For(context, status, message).ExecuteAsync(context);

    public static string Heading(int status) => status switch
    {
        400 => "Bad request",
        401 => "Sign in needed",
        403 => "Not allowed",
        404 => "Not found",
        405 => "Method not allowed",
        409 => "Conflict",
        413 => "Too large",
        415 => "Unsupported content",
        429 => "Slow down",
        >= 500 => "Something went wrong",
        _ => $"HTTP {status}",
    };

    /// <summary>
    /// The pipeline's error handling, outermost first: unhandled exceptions (a 500 that says nothing of the
    /// internals), bad requests the framework or our own readers refuse (BadHttpRequestException: its status and
    /// message, not logged as a failure), and statuses set without a body (404 of an unknown address, 405…).
    /// </summary>
    public static void UseErrorAnswers(this WebApplication app)
    {
        app.UseExceptionHandler(e => e.Run(WriteUnhandledAsync));
        app.UseStatusCodePages(s => WriteAsync(s.HttpContext, s.HttpContext.Response.StatusCode, StatusMessage(s.HttpContext.Response.StatusCode)));
        app.Use(async (context, next) =>
        {
            try { await next(context); }
            catch (BadHttpRequestException bad) when (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await WriteAsync(context, bad.StatusCode, bad.Message);
            }
        });
    }

    static async Task WriteUnhandledAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var status = error is BadHttpRequestException bad ? bad.StatusCode : 500;
        await WriteAsync(context, status, status == 500 ? "internal error; it was logged" : error!.Message);
    }

    static string StatusMessage(int status) => status switch
    {
        404 => "There is nothing at this address.",
        405 => "This address does not take that method.",
        _ => $"HTTP {status}",
    };

    /// <summary>A refusal a handler or a binder raises; answered in the route's format by UseErrorAnswers.</summary>
    public static BadHttpRequestException Bad(int status, string message) => new(message, status);
}
