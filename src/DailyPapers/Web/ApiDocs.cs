using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace DailyPapers.Web;

/// <summary>A query parameter that a handler reads itself (through FeedRequest, SearchRequest…), named for the OpenAPI document.</summary>
public sealed record ApiQuery(string Name, string Description, JsonSchemaType Type = JsonSchemaType.String, bool Required = false);

/// <summary>
/// What the OpenAPI document says beyond what the framework sees. Handlers read their query through the readers that
/// also serve pages and feeds, and answer errors as {"error": "…"} (ApiError), so routes declare both: `.Query(…)`
/// and `.Fails(400, 404)`. What the endpoint's own metadata already implies is added here once for every route: a
/// route parameter bound by a custom binder (PaperKey), 401 where authorization is required, 403 where a role is,
/// 429 where a rate limit applies, 304 where the answer is shared (SharedCache's validators), and the bearer scheme.
/// </summary>
public static class ApiDocs
{
    public const string JsonType = "application/json";
    const string BearerScheme = "bearer";

    public static TBuilder Query<TBuilder>(this TBuilder builder, params ApiQuery[] parameters) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata([.. parameters]);

    /// <summary>The error answers a route gives itself (bad input, not found, a rule refused), each an ApiError.</summary>
    public static TBuilder Fails<TBuilder>(this TBuilder builder, params int[] statuses) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata([.. statuses.Select(s => new ProducesResponseTypeMetadata(s, typeof(Papers.ApiError), [JsonType]))]);

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer",
                Description = "A personal API token (dp_…), made on /account. A browser's session cookie works too, with the X-CSRF-Token header on writes.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer(TransformAsync);
    }

    static async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        operation.Parameters ??= [];
        foreach (var name in RouteParameters(context.Description.RelativePath ?? ""))
            if (!operation.Parameters.Any(p => p.Name == name && p.In == ParameterLocation.Path))
                operation.Parameters.Add(new OpenApiParameter { Name = name, In = ParameterLocation.Path, Required = true, Description = PathDescription(name), Schema = new OpenApiSchema { Type = JsonSchemaType.String } });
        foreach (var q in metadata.OfType<ApiQuery>())
            operation.Parameters.Add(new OpenApiParameter { Name = q.Name, In = ParameterLocation.Query, Required = q.Required, Description = q.Description, Schema = new OpenApiSchema { Type = q.Type } });
        var authorize = metadata.OfType<IAuthorizeData>().ToList();
        var implied = new List<int>();
        if (authorize.Count > 0 && !metadata.OfType<IAllowAnonymous>().Any())
        {
            implied.Add(401);
            var roles = metadata.OfType<AuthorizationPolicy>().SelectMany(p => p.Requirements).OfType<Microsoft.AspNetCore.Authorization.Infrastructure.RolesAuthorizationRequirement>();
            if (authorize.Any(a => !string.IsNullOrEmpty(a.Roles) || !string.IsNullOrEmpty(a.Policy)) || roles.Any()) implied.Add(403);
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];
        }
        if (metadata.OfType<EnableRateLimitingAttribute>().Any()) implied.Add(429);
        operation.Responses ??= [];
        // Shared answers carry validators (SharedCache): say what a conditional request gets back.
        if (metadata.OfType<Microsoft.AspNetCore.OutputCaching.IOutputCachePolicy>().Any()) operation.Responses.TryAdd("304", new OpenApiResponse());
        foreach (var status in implied.Where(s => !operation.Responses.ContainsKey(s.ToString())))
            operation.Responses[status.ToString()] = new OpenApiResponse
            {
                Content = new Dictionary<string, OpenApiMediaType> { [JsonType] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(Papers.ApiError), null, ct) } },
            };
        foreach (var (status, response) in operation.Responses)
            if (Explain(status) is { } text && response is OpenApiResponse r) r.Description = text;
    }

    static IEnumerable<string> RouteParameters(string path) =>
        System.Text.RegularExpressions.Regex.Matches(path, @"\{\*{0,2}([A-Za-z]+)[^}]*\}").Select(m => m.Groups[1].Value);

    static string? PathDescription(string name) => name switch
    {
        "id" => "An arXiv id, new style (2405.15738) or old style with its slash (math/0601001), with or without a version (v2).",
        _ => null,
    };

    static string? Explain(string status) => status switch
    {
        "400" => "Bad input: `error` names the parameter or field and what it accepts.",
        "401" => "No session and no valid API token (Authorization: Bearer dp_…).",
        "403" => "Your role does not allow this.",
        "404" => "Not found: `error` says what.",
        "409" => "Refused by a rule: `error` says which.",
        "413" => "The body is too large.",
        "304" => "Not modified: the weak ETag or Last-Modified of an earlier answer, sent back as If-None-Match or If-Modified-Since, still holds (both move with any write to the hub).",
        "429" => "Too many requests: wait the seconds Retry-After gives. Limited routes carry RateLimit-Policy and RateLimit (IETF draft) on every answer: the quota, what is left and the seconds to the window's end.",
        _ => null,
    };
}
