using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DailyPapers.Accounts;

namespace DailyPapers.Tests.Community;

public class ModerationTests
{
    const string Paper = "2608.19880";

    [Fact]
    public async Task AReportedPaperHiddenByAModeratorLeavesListsSearchAndTrending()
    {
        await using var app = new AppFactory().With("Digest:Schedule", "false");
        await app.ImportAsync("hf/2026-08-21.jsonl");
        var (_, admin) = await Browser.UserWithTokenAsync(app, "admin@example.org");
        var (_, reader) = await Browser.UserWithTokenAsync(app, "reader@example.org");
        var (_, moderator) = await Browser.UserWithTokenAsync(app, "mod@example.org", Roles.Moderator);
        await app.WithDbAsync(db => Votes.TrendingScores.RefreshAllAsync(db, new DateTime(2026, 8, 21, 12, 0, 0, DateTimeKind.Utc)));

        Assert.Equal(HttpStatusCode.Created, (await Browser.SendAsync(app, HttpMethod.Post, "/api/reports", reader, new { kind = "paper", target = Paper, reason = "spam" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Browser.SendAsync(app, HttpMethod.Post, "/api/reports", reader, new { kind = "user", target = "1", reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Browser.SendAsync(app, HttpMethod.Post, "/api/reports", reader, new { kind = "comment", target = "99", reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Browser.SendAsync(app, HttpMethod.Post, "/api/reports", null, new { kind = "paper", target = Paper, reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Browser.SendAsync(app, HttpMethod.Get, "/api/moderation/reports", reader)).StatusCode);
        var reports = await (await Browser.SendAsync(app, HttpMethod.Get, "/api/moderation/reports", moderator)).Content.ReadFromJsonAsync<JsonElement[]>();
        var reportId = Assert.Single(reports!).GetProperty("id").GetInt64();
        var adminPage = await app.CreateClient().SendAsync(Browser.WithBearer(HttpMethod.Get, "/admin", admin));
        Assert.Contains("spam", await adminPage.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Forbidden, (await Browser.SendAsync(app, HttpMethod.Post, $"/api/papers/{Paper}/hide", reader)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Browser.SendAsync(app, HttpMethod.Post, $"/api/papers/{Paper}/hide", moderator)).StatusCode);
        var api = app.CreateClient();
        Assert.DoesNotContain(Paper, await api.GetStringAsync("/api/daily_papers?date=2026-08-21"));
        Assert.Equal("16", (await api.GetAsync("/api/daily_papers?date=2026-08-21")).Headers.GetValues("X-Total-Count").Single());
        Assert.DoesNotContain(Paper, await api.GetStringAsync("/api/trending"));
        Assert.DoesNotContain(Paper, await api.GetStringAsync("/api/papers/search?q=EnvHarness&mode=keyword"));
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/papers/{Paper}")).StatusCode);
        var seenByModerator = await Browser.SendAsync(app, HttpMethod.Get, $"/api/papers/{Paper}", moderator);
        Assert.Equal(HttpStatusCode.OK, seenByModerator.StatusCode);
        Assert.Equal(Paper, (await seenByModerator.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await Browser.SendAsync(app, HttpMethod.Post, $"/api/moderation/reports/{reportId}/close", moderator)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Browser.SendAsync(app, HttpMethod.Post, $"/api/papers/{Paper}/unhide", admin)).StatusCode);
        Assert.Contains(Paper, await api.GetStringAsync("/api/daily_papers?date=2026-08-21"));
    }
}
