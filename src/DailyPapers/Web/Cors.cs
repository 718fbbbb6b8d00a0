namespace DailyPapers.Web;

/// <summary>
/// CORS for the read-only API: any site's script may GET (or HEAD) /api/… and read the answer, errors included, and
/// a preflight for those methods is answered here. Writes get no CORS header at all, so a page elsewhere can never
/// read what a write answered, and cookies with the CSRF header stay same-origin. `*` also means browsers send no
/// cookies along: a script elsewhere reads what anyone reads, or what its own bearer token allows.
/// </summary>
/// <remarks>
/// Not the framework's CORS middleware: its policies choose by origin, not by method, and it would label a
/// cross-origin POST's answer readable too (it checks methods only in preflights).
/// </remarks>
public static class ReadOnlyCors
{
    const string Methods = "GET, HEAD";
    // Headers our GET answers carry that a script needs: paging, counts, the search mode used.
    const string Exposed = "Link, X-Total-Count, X-Search-Mode, X-Search-Notice";

    public static void UseReadOnlyCors(this WebApplication app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (!request.Path.StartsWithSegments("/api"))
        {
            await next(context);
            return;
        }
        if (IsPreflight(request))
        {
            if (!IsRead(request.Headers.AccessControlRequestMethod.ToString()))
            {
                await next(context); // the route's own answer to OPTIONS (a 405), with no CORS header: the browser stops there
                return;
            }
            var headers = context.Response.Headers;
            headers.AccessControlAllowOrigin = "*";
            headers.AccessControlAllowMethods = Methods;
            // Authorization too: a script may read with its own token (never a cookie, which `*` does not carry).
            headers.AccessControlAllowHeaders = "Authorization, Accept, Content-Type";
            headers.AccessControlMaxAge = "86400";
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        if (IsRead(request.Method))
            context.Response.OnStarting(() =>
            {
                context.Response.Headers.AccessControlAllowOrigin = "*";
                context.Response.Headers.AccessControlExposeHeaders = Exposed;
                return Task.CompletedTask;
            });
        await next(context);
    });

    static bool IsPreflight(HttpRequest request) =>
        HttpMethods.IsOptions(request.Method) && request.Headers.Origin.Count > 0 && request.Headers.AccessControlRequestMethod.Count > 0;

    static bool IsRead(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method);
}
