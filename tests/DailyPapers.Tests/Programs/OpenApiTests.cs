using System.Text.Json;
using System.Text.RegularExpressions;
using DailyPapers.Tests.Hostile;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DailyPapers.Tests.Programs;

/// <summary>One /api endpoint as the app maps it, and its operation in /openapi/v1.json (null when missing).</summary>
public sealed record ApiOperation(string Method, string Pattern, string DocPath, EndpointMetadataCollection Metadata, JsonElement? Operation)
{
    public string Key => $"{Method} {DocPath}";
    public IReadOnlyList<string> PathParameters => Regex.Matches(DocPath, @"\{([^}]+)\}").Select(m => m.Groups[1].Value).ToList();
    public bool RequiresAccount => Metadata.GetOrderedMetadata<IAuthorizeData>().Count > 0 && Metadata.GetMetadata<IAllowAnonymous>() is null;
    public bool RequiresRole => Metadata.GetOrderedMetadata<AuthorizationPolicy>().SelectMany(p => p.Requirements).OfType<RolesAuthorizationRequirement>().Any();
    public bool RateLimited => Metadata.GetMetadata<EnableRateLimitingAttribute>() is not null;
    public bool TakesBody => Metadata.GetMetadata<IAcceptsMetadata>() is not null;
}

/// <summary>
/// The OpenAPI document against the app's own route list (its EndpointDataSource): every /api route is in it, with
/// its parameters, a schema for what it answers, and the error answers ({"error": "…"}) it can give.
/// </summary>
public sealed class OpenApiTests : IAsyncLifetime
{
    /// <summary>/api routes that are not operations of the API, and why.</summary>
    static readonly string[] NotOperations =
    [
        "/api/docs", // the reference page itself (Scalar's HTML and script)
    ];

    /// <summary>Path parameters that name something the route looks up, so an unknown one is a 404.</summary>
    static readonly string[] LookedUp = ["id", "collection", "name", "organization"];

    // Without the background jobs: their first writes (trending scores…) move the data version, and so the ETag, at a
    // moment of their own; the 304 test below needs two requests with no write between them.
    readonly AppFactory app = new AppFactory().WithoutJobs();
    JsonElement document;
    List<ApiOperation> operations = [];

    public async Task InitializeAsync()
    {
        document = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement;
        operations = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } p && p.StartsWith("/api/", StringComparison.Ordinal) && !NotOperations.Any(n => p == n || p.StartsWith(n + "/", StringComparison.Ordinal)))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => Describe(m, e)))
            .ToList();
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    ApiOperation Describe(string method, RouteEndpoint e)
    {
        // Each paper route has an old-style twin ({archive}/{id}: math/0601001) that is the same operation.
        var path = e.RoutePattern.RawText!.Replace("{archive:archive}/", "", StringComparison.Ordinal);
        // A group's own route ends in a slash (/api/collections/), which the router and the document leave out.
        path = Regex.Replace(path, @"\{\*{0,2}([A-Za-z]+)[^}]*\}", "{$1}").TrimEnd('/');
        var operation = document.GetProperty("paths").TryGetProperty(path, out var item) && item.TryGetProperty(method.ToLowerInvariant(), out var op) ? op : (JsonElement?)null;
        return new ApiOperation(method, e.RoutePattern.RawText!, path, e.Metadata, operation);
    }

    [Fact]
    public void EveryApiRouteIsInTheDocument()
    {
        Assert.True(operations.Count > 40, $"only {operations.Count} /api routes found");
        Assert.Empty(operations.Where(o => o.Operation is null).Select(o => $"{o.Method} {o.Pattern}"));
    }

    [Fact]
    public void EveryOperationNamesItsPathAndQueryParameters()
    {
        var missing = new List<string>();
        foreach (var o in operations.Where(o => o.Operation is not null))
        {
            var parameters = o.Operation!.Value.TryGetProperty("parameters", out var p) ? p.EnumerateArray().ToList() : [];
            foreach (var name in o.PathParameters.Where(n => !parameters.Any(x => Is(x, n, "path") && x.GetProperty("required").GetBoolean())))
                missing.Add($"{o.Key}: path parameter {name}");
            foreach (var name in QueryRead(o).Where(n => !parameters.Any(x => Is(x, n, "query"))))
                missing.Add($"{o.Key}: query parameter {name}");
            missing.AddRange(parameters.Where(x => !x.TryGetProperty("schema", out _)).Select(x => $"{o.Key}: {x.GetProperty("name")} has no schema"));
        }
        Assert.Empty(missing);
    }

    [Fact]
    public void EverySuccessThatHasABodyHasASchema()
    {
        var missing = new List<string>();
        foreach (var o in operations.Where(o => o.Operation is not null))
        {
            var responses = o.Operation!.Value.GetProperty("responses");
            var successes = responses.EnumerateObject().Where(r => r.Name.StartsWith('2')).ToList();
            if (successes.Count == 0) missing.Add($"{o.Key}: no success answer");
            foreach (var r in successes.Where(r => r.Name is "200" or "201" or "202"))
                if (!r.Value.TryGetProperty("content", out var content) || !content.EnumerateObject().Any(c => c.Value.TryGetProperty("schema", out _)))
                    missing.Add($"{o.Key}: {r.Name} without a schema");
            if (o.TakesBody && !o.Operation.Value.TryGetProperty("requestBody", out _)) missing.Add($"{o.Key}: no request body");
        }
        Assert.Empty(missing);
    }

    [Fact]
    public void EveryOperationDocumentsTheErrorsItCanGiveInTheApisShape()
    {
        var missing = new List<string>();
        foreach (var o in operations.Where(o => o.Operation is not null))
        {
            var responses = o.Operation!.Value.GetProperty("responses");
            foreach (var status in Expected(o))
            {
                if (!responses.TryGetProperty(status.ToString(), out var r)) missing.Add($"{o.Key}: {status} not documented");
                else if (!IsApiError(r)) missing.Add($"{o.Key}: {status} is not {{\"error\": \"…\"}}");
            }
        }
        Assert.Empty(missing);
    }

    [Fact]
    public async Task OperationsThatDocumentNotModifiedAnswerItToTheirOwnValidators()
    {
        var client = app.CreateClient();
        var documented = operations.Where(o => o.Method == "GET" && o.PathParameters.Count == 0
            && o.Operation!.Value.GetProperty("responses").TryGetProperty("304", out _)).ToList();
        Assert.Contains(documented, o => o.DocPath == "/api/daily_papers");
        var wrong = new List<string>();
        foreach (var o in documented)
        {
            var first = await client.GetAsync(o.DocPath);
            var again = new HttpRequestMessage(HttpMethod.Get, o.DocPath);
            if (first.Headers.ETag is { } tag) again.Headers.IfNoneMatch.Add(tag);
            var second = await client.SendAsync(again);
            if (second.StatusCode != System.Net.HttpStatusCode.NotModified) wrong.Add($"{o.Key}: {(int)first.StatusCode} then {(int)second.StatusCode}");
        }
        Assert.Empty(wrong);
    }

    [Fact]
    public void RoutesThatNeedAnAccountNameTheBearerScheme()
    {
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        Assert.Empty(operations.Where(o => o.RequiresAccount && !o.Operation!.Value.TryGetProperty("security", out _)).Select(o => o.Key));
    }

    /// <summary>The errors an endpoint can give, from what it is: what it reads, who may call it, its limits.</summary>
    IEnumerable<int> Expected(ApiOperation o)
    {
        var writes = o.Method != "GET";
        // Input: a route value, a query parameter or a body can be malformed; writes with a cookie need X-CSRF-Token.
        if (o.PathParameters.Count > 0 || QueryRead(o).Any() || o.TakesBody || (writes && o.RequiresAccount)) yield return 400;
        if (o.RequiresAccount) yield return 401;
        if (o.RequiresRole) yield return 403;
        // A valid category with no papers is an empty list, not a 404 (see its summary).
        if (o.PathParameters.Any(LookedUp.Contains)) yield return 404;
        if (o.RateLimited) yield return 429;
    }

    /// <summary>
    /// The query parameters a route reads, from the hostile-input suite's own lists (it sends each route bad values of
    /// exactly these): the document must name every one.
    /// </summary>
    static IEnumerable<string> QueryRead(ApiOperation o)
    {
        var key = $"{o.Method} {o.Pattern.Replace("{archive:archive}/", "", StringComparison.Ordinal)}";
        if (HostileCases.PeriodRoutes.Contains(key)) return ["date", "week", "month", "sort", "p", "limit"];
        if (HostileCases.SearchRoutes.Contains(key)) return ["q", "mode", "limit", "from", "to", "category", "has_code"];
        if (HostileCases.PagedRoutes.Contains(key)) return ["p", "limit"];
        if (key == "GET /api/papers") return ["cursor", "limit"];
        if (key == "GET /api/trending") return ["window", "p", "limit"];
        if (HostileCases.LimitRoutes.Contains(key)) return ["limit"];
        return [];
    }

    static bool Is(JsonElement parameter, string name, string location) =>
        parameter.GetProperty("name").GetString() == name && parameter.GetProperty("in").GetString() == location;

    bool IsApiError(JsonElement response)
    {
        if (!response.TryGetProperty("content", out var content) || !content.TryGetProperty("application/json", out var json)) return false;
        var schema = json.GetProperty("schema");
        if (schema.TryGetProperty("$ref", out var reference))
            schema = document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]);
        return schema.TryGetProperty("properties", out var properties) && properties.TryGetProperty("error", out _) && properties.EnumerateObject().Count() == 1;
    }
}
