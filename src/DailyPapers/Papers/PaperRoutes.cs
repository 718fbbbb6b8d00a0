using DailyPapers.Web;

namespace DailyPapers.Papers;

/// <summary>A paper id read from the route through the one ArxivId rule, before the handler runs.</summary>
public sealed record PaperKey(string Id, int? Version)
{
    /// <summary>
    /// Minimal APIs call this for a PaperKey parameter. Text that cannot be an id is refused here with a 400 in the
    /// route's error format (Errors.UseErrorAnswers), so no handler parses or refuses ids itself.
    /// </summary>
    public static ValueTask<PaperKey?> BindAsync(HttpContext context)
    {
        var values = context.Request.RouteValues;
        var id = values["id"] as string ?? "";
        var text = values["archive"] is string archive ? $"{archive}/{id}" : id;
        if (!ArxivId.TryParse(text, out var key, out var version)) throw Errors.Bad(400, ArxivId.NotAnId(text));
        return ValueTask.FromResult<PaperKey?>(new PaperKey(key, version));
    }

    public override string ToString() => Id;
}

/// <summary>
/// The one route shape for a paper and what hangs off it: {prefix}/{id}{suffix}, e.g. /api/papers/2405.15738/comments.
/// Old-style ids hold a slash (math/0601001), so each route is also mapped as {prefix}/{archive}/{id}{suffix}; the
/// handler takes a PaperKey and never sees the difference. Literal routes (/api/papers/search) win over these.
/// </summary>
public static class PaperRoutes
{
    /// <summary>
    /// The archive segment of an old-style id (math, astro-ph, math.GT), as a route constraint: any other text there
    /// matches no route, so /api/papers/2405.15738/nonsense is a 404 rather than a malformed id.
    /// </summary>
    public sealed class ArchiveConstraint : IRouteConstraint
    {
        public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
            values.TryGetValue(routeKey, out var value) && value is string s && ArxivId.IsArchive(s);
    }

    /// <summary>
    /// Maps both route shapes through map, called as (app, pattern) => app.MapGet(pattern, Handler): the MapGet/MapPost
    /// call stays at the feature's route table, where the request delegate generator sees the handler's parameter types
    /// and writes its request delegate at build time (a Delegate passed through here would be compiled at run time).
    /// </summary>
    public static RouteHandlerBuilder MapPaper(this IEndpointRouteBuilder app, string prefix, string suffix,
        Func<IEndpointRouteBuilder, string, RouteHandlerBuilder> map)
    {
        var plain = map(app, $"{prefix}/{{id}}{suffix}");
        var archived = map(app, $"{prefix}/{{archive:archive}}/{{id}}{suffix}").ExcludeFromDescription();
        var both = new RouteHandlerBuilder([plain, archived]);
        // Text that cannot be an id is refused by PaperKey's binder, in the API's shape on /api routes.
        return prefix.StartsWith("/api", StringComparison.Ordinal) ? both.Fails(400) : both;
    }
}
