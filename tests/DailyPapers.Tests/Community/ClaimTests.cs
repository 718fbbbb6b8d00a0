using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace DailyPapers.Tests.Community;

public class ClaimTests
{
    const string Paper = "2608.19863"; // Listening Forward, by Umberto Cappellazzo, Xubo Liu, …

    [Fact]
    public async Task AnApprovedAuthorIsVerifiedAndMaySetTheLinks()
    {
        await using var app = new AppFactory().With("Digest:Schedule", "false");
        await app.ImportAsync("hf/2026-08-21.jsonl");
        var (_, admin) = await Browser.UserWithTokenAsync(app, "admin@example.org");
        var (_, author) = await Browser.UserWithTokenAsync(app, "umberto@example.org");
        var (_, other) = await Browser.UserWithTokenAsync(app, "other@example.org");
        var links = new { githubRepo = "https://github.com/example/listening-forward", projectPage = "https://example.org/lf" };

        Assert.Equal(HttpStatusCode.Forbidden, (await Browser.SendAsync(app, new HttpMethod("PATCH"), $"/api/papers/{Paper}", author, links)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Browser.SendAsync(app, HttpMethod.Post, $"/api/papers/{Paper}/claim", author, new { authorName = "Someone Else" })).StatusCode);
        var claim = await Browser.SendAsync(app, HttpMethod.Post, $"/api/papers/{Paper}/claim", author, new { authorName = "umberto cappellazzo" });
        Assert.Equal(HttpStatusCode.Created, claim.StatusCode);
        var id = (await claim.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.Conflict, (await Browser.SendAsync(app, HttpMethod.Post, $"/api/papers/{Paper}/claim", author, new { authorName = "Umberto Cappellazzo" })).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await Browser.SendAsync(app, HttpMethod.Post, $"/api/admin/claims/{id}/approve", other)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Browser.SendAsync(app, HttpMethod.Get, "/api/admin/claims", author)).StatusCode);
        var pending = await (await Browser.SendAsync(app, HttpMethod.Get, "/api/admin/claims", admin)).Content.ReadFromJsonAsync<JsonElement[]>();
        Assert.Equal("Umberto Cappellazzo", Assert.Single(pending!).GetProperty("authorName").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await Browser.SendAsync(app, HttpMethod.Post, $"/api/admin/claims/{id}/approve", admin)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Browser.SendAsync(app, HttpMethod.Post, $"/api/admin/claims/{id}/reject", admin)).StatusCode); // decided

        Assert.Contains(">Umberto Cappellazzo</a><span class=\"verified\"", await app.CreateClient().GetStringAsync($"/papers/{Paper}"));
        Assert.Equal(HttpStatusCode.BadRequest, (await Browser.SendAsync(app, new HttpMethod("PATCH"), $"/api/papers/{Paper}", author, new { githubRepo = "javascript:alert(1)" })).StatusCode);
        var set = await Browser.SendAsync(app, new HttpMethod("PATCH"), $"/api/papers/{Paper}", author, links);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(links.githubRepo, (await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/papers/{Paper}")).GetProperty("githubRepo").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await Browser.SendAsync(app, new HttpMethod("PATCH"), $"/api/papers/{Paper}", other, links)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Browser.SendAsync(app, new HttpMethod("PATCH"), $"/api/papers/{Paper}", null, links)).StatusCode);
    }
}
