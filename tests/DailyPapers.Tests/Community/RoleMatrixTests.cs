using System.Net;
using System.Net.Http.Json;
using DailyPapers.Accounts;
using DailyPapers.Tests.Hostile;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Route = DailyPapers.Tests.Hostile.Route;
using Microsoft.Extensions.DependencyInjection;

namespace DailyPapers.Tests.Community;

/// <summary>
/// Every route of the app, read from its endpoint list (so a new route is covered without editing this test), against
/// every role: anonymous callers are refused where an account is needed, lower roles get 403, and the roles a route
/// allows get through. A route that changes state without any account must be named below, with its reason.
/// </summary>
public class RoleMatrixTests
{
    /// <summary>State-changing routes anyone may call, and why each is safe without an account.</summary>
    static readonly Dictionary<string, string> AnonymousWrites = new()
    {
        ["POST /api/subscriptions"] = "subscribing needs no account; nothing happens before the mailed link is followed",
        ["POST /subscribe"] = "the same, from the form on every page",
        ["POST /account/signup"] = "how an account comes to be",
        ["POST /account/signin"] = "how a session comes to be",
        ["POST /account/signout"] = "ends the caller's own session, if any",
        ["POST /account/forgot"] = "answers the same for any address; the mail goes to the owner",
        ["POST /account/reset"] = "the signed token in the form is the credential",
        ["POST /digest/preferences"] = "the signed token in the form is the credential",
        ["POST /digest/unsubscribe"] = "the signed token in the link is the credential (RFC 8058 one-click)",
        ["POST /papers/{id}/upvote"] = "without an account it only sends the reader to sign in",
        ["POST /papers/{id}/comments"] = "without an account it only sends the reader to sign in",
        ["POST /follows"] = "the follow button of shared pages: without an account it only sends the reader to sign in",
        ["POST /mcp/"] = "the MCP server: its reading tools read what the API reads; its writing tools act only with a bearer token (Mcp/AccountTools)",
    };

    static int Rank(string? role) => role switch { null => 0, Roles.Member => 1, Roles.Moderator => 2, _ => 3 };

    [Fact]
    public void EveryRouteThatChangesStateNeedsAnAccountOrSaysWhyNot()
    {
        var open = Endpoints().Where(e => e.Method is not ("GET" or "HEAD") && e.Least is null && !AnonymousWrites.ContainsKey(e.PlainKey))
            .Select(e => e.Key).ToList();
        Assert.Empty(open);
        Assert.DoesNotContain(AnonymousWrites.Keys, k => Endpoints().All(e => e.PlainKey != k)); // the list names only real routes
    }

    [Fact]
    public async Task EachRouteAnswersEachRoleAsItShould()
    {
        await using var app = new AppFactory().With("Digest:Schedule", "false").With("Submissions:ArxivApiUrl", "http://127.0.0.1:9/api/query");
        await app.ImportAsync("hf/2026-08-21.jsonl", "arxiv/id_astro-ph_0601001_s0_m100_3150dca9dc76.json");
        // The admin first: the first account of a hub is its admin whatever else it is given.
        var (_, admin) = await Browser.UserWithTokenAsync(app, "admin@example.org", Roles.Admin);
        var (_, member) = await Browser.UserWithTokenAsync(app, "member@example.org", Roles.Member);
        var (_, moderator) = await Browser.UserWithTokenAsync(app, "mod@example.org", Roles.Moderator);
        var callers = new (string? Role, string? Token)[] { (null, null), (Roles.Member, member), (Roles.Moderator, moderator), (Roles.Admin, admin) };
        var failures = new List<string>();
        // Lowest role first: what the admin does (hide, delete, suspend) must not change what the others were asked.
        foreach (var (role, token) in callers)
            foreach (var route in Endpoints().Where(e => e.Route.Unfillable is null && !e.PlainKey.StartsWith("GET /openapi", StringComparison.Ordinal)))
            {
                var request = token is null ? new HttpRequestMessage(new HttpMethod(route.Method), route.Route.RealPath)
                    : Browser.WithBearer(new HttpMethod(route.Method), route.Route.RealPath, token);
                if (route.Method is not ("GET" or "DELETE")) request.Content = JsonContent.Create(new { });
                var response = await app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false }).SendAsync(request);
                if (Verdict(route, role, response, await response.Content.ReadAsStringAsync()) is { } wrong) failures.Add($"{route.Method} {route.Route.RealPath} as {role ?? "anonymous"}: {wrong}");
            }
        Assert.Empty(failures);
    }

    // A 403 for want of a role says so; other 403s are about the resource (only a paper's verified author sets its links).
    const string RoleRefusal = "your role does not allow this";

    static string? Verdict(RouteRole route, string? role, HttpResponseMessage r, string body)
    {
        var status = (int)r.StatusCode;
        var roleRefused = status == 403 && body.Contains(RoleRefusal, StringComparison.OrdinalIgnoreCase);
        var toSignIn = status == 302 && r.Headers.Location?.OriginalString.StartsWith("/account/signin", StringComparison.Ordinal) == true;
        if (status >= 500) return $"{status}";
        if (route.Least is null) return status is 401 or 403 ? $"{status} on a route open to everyone" : null;
        if (role is null) return status == 401 || toSignIn ? null : $"{status}, expected 401 or the sign-in page";
        if (Rank(role) < Rank(route.Least)) return roleRefused ? null : $"{status}, expected 403 for the role";
        return status == 401 || roleRefused || toSignIn ? $"{status}: refused a role the route allows" : null;
    }

    sealed record RouteRole(string Method, string Key, string PlainKey, string? Least, Route Route);

    static readonly Lazy<List<RouteRole>> endpoints = new(Read);

    static List<RouteRole> Endpoints() => endpoints.Value;

    /// <summary>The least role each route allows, from its own authorization metadata (null: anyone).</summary>
    static List<RouteRole> Read()
    {
        using var app = new AppFactory();
        var data = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"]).Select(m => (Key: $"{m} {e.RoutePattern.RawText}", Least: Least(e.Metadata))))
            .ToDictionary(x => x.Key, x => x.Least);
        return Routes.All.Select(r => new RouteRole(r.Method, r.Key, r.PlainKey, data[r.Key], r)).ToList();
    }

    static string? Least(Microsoft.AspNetCore.Http.EndpointMetadataCollection metadata)
    {
        if (metadata.GetMetadata<IAllowAnonymous>() is not null) return null;
        var roles = metadata.GetOrderedMetadata<IAuthorizeData>().SelectMany(a => (a.Roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
            .Concat(metadata.GetOrderedMetadata<AuthorizationPolicy>().SelectMany(p => p.Requirements.OfType<RolesAuthorizationRequirement>()).SelectMany(r => r.AllowedRoles))
            .ToList();
        var authorized = metadata.GetOrderedMetadata<IAuthorizeData>().Count > 0 || metadata.GetOrderedMetadata<AuthorizationPolicy>().Count > 0;
        return !authorized ? null : roles.Count == 0 ? Roles.Member : roles.MinBy(Rank);
    }
}
