using System.Net;
using System.Net.Http.Json;
using DailyPapers.Accounts;

namespace DailyPapers.Tests.Community;

/// <summary>Every state-changing endpoint (and the moderation reads) against every role: 401, 403, or let through.</summary>
public class RoleMatrixTests
{
    const string P = "2608.19880";

    // method, address, body, the least role that may call it
    static readonly (string Method, string Url, object? Body, string Least)[] Endpoints =
    [
        ("POST", $"/api/papers/{P}/upvote", null, Roles.Member),
        ("DELETE", $"/api/papers/{P}/upvote", null, Roles.Member),
        ("POST", $"/api/papers/{P}/comments", new { body = "hello" }, Roles.Member),
        ("POST", "/api/submissions", new { arxivId = "2608.18580" }, Roles.Member),
        ("POST", "/api/collections", new { name = "list" }, Roles.Member),
        ("POST", "/api/follows", new { kind = "keyword", value = "agents" }, Roles.Member),
        ("DELETE", "/api/follows", new { kind = "keyword", value = "agents" }, Roles.Member),
        ("POST", "/api/reports", new { kind = "paper", target = P, reason = "spam" }, Roles.Member),
        ("POST", $"/api/papers/{P}/claim", new { authorName = "Chengsong Huang" }, Roles.Member),
        ("GET", "/api/moderation/reports", null, Roles.Moderator),
        ("POST", $"/api/papers/{P}/hide", null, Roles.Moderator),
        ("POST", $"/api/papers/{P}/unhide", null, Roles.Moderator),
        ("GET", "/api/admin/claims", null, Roles.Admin),
        ("POST", "/api/admin/users/{victim}/role", new { role = "member" }, Roles.Admin),
        ("POST", "/api/admin/users/{victim}/suspend", null, Roles.Admin),
        ("POST", "/api/admin/users/{victim}/restore", null, Roles.Admin),
    ];

    static int Rank(string? role) => role switch { null => 0, Roles.Member => 1, Roles.Moderator => 2, _ => 3 };

    [Fact]
    public async Task EachEndpointAnswersEachRoleAsItShould()
    {
        await using var app = new AppFactory().With("Digest:Schedule", "false");
        await app.ImportAsync("hf/2026-08-21.jsonl");
        var (_, admin) = await Browser.UserWithTokenAsync(app, "admin@example.org");
        var (_, member) = await Browser.UserWithTokenAsync(app, "member@example.org");
        var (_, moderator) = await Browser.UserWithTokenAsync(app, "mod@example.org", Roles.Moderator);
        var (victim, _) = await Browser.UserWithTokenAsync(app, "victim@example.org");
        var callers = new (string? Role, string? Token)[] { (null, null), (Roles.Member, member), (Roles.Moderator, moderator), (Roles.Admin, admin) };
        var failures = new List<string>();
        foreach (var (method, template, body, least) in Endpoints)
            foreach (var (role, token) in callers)
            {
                var url = template.Replace("{victim}", victim.Id.ToString());
                var request = token is null ? new HttpRequestMessage(new HttpMethod(method), url) : Browser.WithBearer(new HttpMethod(method), url, token);
                if (body is not null) request.Content = JsonContent.Create(body);
                var status = (await app.CreateClient().SendAsync(request)).StatusCode;
                var ok = role is null ? status == HttpStatusCode.Unauthorized
                    : Rank(role) < Rank(least) ? status == HttpStatusCode.Forbidden
                    : status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) && (int)status < 500;
                if (!ok) failures.Add($"{method} {url} as {role ?? "anonymous"}: {(int)status}");
            }
        Assert.Empty(failures);
    }
}
