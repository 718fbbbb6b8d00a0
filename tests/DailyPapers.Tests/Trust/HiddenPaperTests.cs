using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DailyPapers.Accounts;
using DailyPapers.Digest;
using DailyPapers.Feed;
using DailyPapers.Tests.Community;
using DailyPapers.Tests.Hostile;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DailyPapers.Tests.Trust;

/// <summary>
/// A paper hidden by a moderator is gone for everyone but moderators, on every reader-facing route: the routes are
/// read from the app's endpoint list, so a route added later is checked without editing this test. Import, export,
/// merge and jobs still see it.
/// </summary>
public class HiddenPaperTests
{
    const string Hidden = Routes.RealPaper; // 2608.19880, featured on 2026-08-21
    const string TitleWord = "EnvHarness";  // in its title only, among that day's papers

    static async Task<(AppFactory App, string Member, string Moderator)> HiddenAsync()
    {
        var app = new AppFactory().With("Digest:Schedule", "false").With("Submissions:ArxivApiUrl", "http://127.0.0.1:9/api/query");
        await app.ImportAsync("hf/2026-08-21.jsonl", "arxiv/id_astro-ph_0601001_s0_m100_3150dca9dc76.json");
        var (_, admin) = await Browser.UserWithTokenAsync(app, "admin@example.org", Roles.Admin);
        var (_, member) = await Browser.UserWithTokenAsync(app, "member@example.org", Roles.Member);
        var (_, moderator) = await Browser.UserWithTokenAsync(app, "mod@example.org", Roles.Moderator);
        // Before the hiding: the paper in a public collection, with a comment and a vote; a follow of its author.
        await Expect(app, admin, "POST", "/api/collections", new { name = "Public list", isPublic = true }, HttpStatusCode.Created);
        await Expect(app, admin, "POST", "/api/collections/1/papers", new { arxivId = Hidden }, HttpStatusCode.NoContent);
        await Expect(app, admin, "POST", "/api/collections/1/papers", new { arxivId = "2608.14022" }, HttpStatusCode.NoContent);
        await Expect(app, member, "POST", $"/api/papers/{Hidden}/comments", new { body = "Before it was hidden." }, HttpStatusCode.Created);
        await Expect(app, admin, "POST", $"/api/papers/{Hidden}/upvote", null, HttpStatusCode.OK); // the member's For you leaves out what it upvoted
        var author = await app.WithDbAsync(async db => global::DailyPapers.Papers.PaperView.AuthorNames(await db.Papers.SingleAsync(p => p.Id == Hidden)).First());
        await Expect(app, member, "POST", "/api/follows", new { kind = "author", value = author }, HttpStatusCode.NoContent);
        Assert.Contains(Hidden, await (await Browser.SendAsync(app, HttpMethod.Get, "/api/for-you", member)).Content.ReadAsStringAsync());
        await Expect(app, moderator, "POST", $"/api/papers/{Hidden}/hide", null, HttpStatusCode.NoContent);
        return (app, member, moderator);
    }

    static async Task Expect(AppFactory app, string? token, string method, string url, object? body, HttpStatusCode status)
    {
        var r = await Browser.SendAsync(app, new HttpMethod(method), url, token, body);
        Assert.True(r.StatusCode == status, $"{method} {url}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
    }

    /// <summary>Every GET route, its parameters filled with the hidden paper (and row 1), with a query that lists its day and words.</summary>
    [Fact]
    public async Task NoReaderFacingRouteShowsAHiddenPaper()
    {
        var (app, member, _) = await HiddenAsync();
        await using var _ = app;
        var failures = new List<string>();
        var routes = Routes.All.Where(r => r.Method == "GET" && r.Unfillable is null && !r.Pattern.StartsWith("/openapi", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(routes);
        // Redirects are not followed: a sign-in page carrying the address it came from shows no paper.
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        foreach (var route in routes)
            foreach (var token in new[] { null, member })
            {
                var url = route.RealPath + $"?date=2026-08-21&q={TitleWord}&limit=100";
                var r = await client.SendAsync(token is null ? new HttpRequestMessage(HttpMethod.Get, url) : Browser.WithBearer(HttpMethod.Get, url, token));
                var body = await r.Content.ReadAsStringAsync();
                // A refusal may name the id it was asked for; anything else must not show the paper: every surface that
                // shows one carries its id (a link, "id", an eprint). Pages echo the query, so its words prove nothing.
                if ((int)r.StatusCode < 400 && body.Contains(Hidden, StringComparison.Ordinal))
                    failures.Add($"{url} as {(token is null ? "anonymous" : "member")}: {(int)r.StatusCode} shows the hidden paper");
            }
        Assert.Empty(failures);
    }

    /// <summary>Every write route that names a paper in its path: nobody can act on a hidden one.</summary>
    [Fact]
    public async Task NoWriteRouteActsOnAHiddenPaper()
    {
        var (app, member, _) = await HiddenAsync();
        await using var _ = app;
        var before = await StateAsync(app);
        var failures = new List<string>();
        var routes = Routes.All.Where(r => r.Method != "GET" && r.Unfillable is null && r.Slots.Any(s => s.Filler == Routes.ArxivIds)
                                           && !r.Pattern.Contains("/hide", StringComparison.Ordinal) && !r.Pattern.Contains("/unhide", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(routes);
        foreach (var route in routes)
        {
            var r = await Browser.SendAsync(app, new HttpMethod(route.Method), route.RealPath, member, new { body = "after", authorName = "x", githubRepo = "https://github.com/a/b" });
            if ((int)r.StatusCode is < 400 or >= 500) failures.Add($"{route.Key}: {(int)r.StatusCode}");
        }
        foreach (var (url, body) in new (string, object)[]
                 {
                     ("/api/collections/1/papers", new { arxivId = Hidden }), ("/api/reports", new { kind = "paper", target = Hidden, reason = "x" }),
                     ("/api/submissions", new { arxivId = Hidden }),
                 })
        {
            var r = await Browser.SendAsync(app, HttpMethod.Post, url, member, body);
            if (r.StatusCode != HttpStatusCode.NotFound) failures.Add($"POST {url}: {(int)r.StatusCode}");
        }
        Assert.Empty(failures);
        Assert.Equal(before, await StateAsync(app));
    }

    static Task<string> StateAsync(AppFactory app) => app.WithDbAsync(async db =>
        JsonSerializer.Serialize(new
        {
            votes = await db.Votes.CountAsync(v => v.PaperId == Hidden), comments = await db.Comments.CountAsync(c => c.PaperId == Hidden),
            claims = await db.AuthorClaims.CountAsync(c => c.PaperId == Hidden), reports = await db.Reports.CountAsync(),
            entries = await db.DailyEntriesIncludingHidden.CountAsync(e => e.PaperId == Hidden),
            paper = await db.PapersIncludingHidden.Where(p => p.Id == Hidden).Select(p => new { p.LocalUpvotes, p.LocalComments, p.GithubRepo }).SingleAsync(),
        }));

    [Fact]
    public async Task ModeratorsStillSeeAndRestoreIt()
    {
        var (app, _, moderator) = await HiddenAsync();
        await using var _ = app;
        Assert.Equal(HttpStatusCode.OK, (await Browser.SendAsync(app, HttpMethod.Get, $"/papers/{Hidden}", moderator)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Browser.SendAsync(app, HttpMethod.Get, $"/api/papers/{Hidden}", moderator)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Browser.SendAsync(app, HttpMethod.Get, $"/api/papers/{Hidden}", null)).StatusCode);
        await Expect(app, moderator, "POST", $"/api/papers/{Hidden}/hide", null, HttpStatusCode.NoContent); // hiding twice is fine
        await Expect(app, moderator, "POST", $"/api/papers/{Hidden}/unhide", null, HttpStatusCode.NoContent);
        Assert.Contains(Hidden, await app.CreateClient().GetStringAsync("/api/daily_papers?date=2026-08-21"));
        Assert.Contains(Hidden, await app.CreateClient().GetStringAsync("/collections/1"));
    }

    [Fact]
    public async Task CommentsRemovedWhileThePaperWasHiddenLeaveItsCount()
    {
        var (app, member, moderator) = await HiddenAsync(); // the member commented once before the hiding
        await using var _ = app;
        await Expect(app, member, "DELETE", "/api/comments/1", null, HttpStatusCode.NoContent);
        await Expect(app, moderator, "POST", $"/api/papers/{Hidden}/unhide", null, HttpStatusCode.NoContent);
        var paper = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/papers/{Hidden}");
        Assert.Equal(1, paper.GetProperty("numComments").GetInt32()); // only the one on Hugging Face
        Assert.Equal(0, await app.WithDbAsync(db => db.Papers.Where(p => p.Id == Hidden).Select(p => p.LocalComments).SingleAsync()));
    }

    /// <summary>Search and similar papers read deeper than the hidden papers they drop, so a page stays full.</summary>
    [Fact]
    public async Task SearchPagesStayFullWhenTheirTopHitIsHidden()
    {
        await using var app = new AppFactory().With("Digest:Schedule", "false");
        await app.ImportAsync("hf/2026-08-21.jsonl");
        var api = app.CreateClient();
        var before = await api.GetFromJsonAsync<JsonElement[]>("/api/papers/search?q=agents&mode=keyword&limit=3");
        var top = before![0].GetProperty("paper").GetProperty("id").GetString()!;
        var (_, moderator) = await Browser.UserWithTokenAsync(app, "mod@example.org", Roles.Moderator);
        await Expect(app, moderator, "POST", $"/api/papers/{top}/hide", null, HttpStatusCode.NoContent);
        foreach (var url in new[] { "/api/papers/search?q=agents&mode=keyword&limit=3", "/api/papers/search?q=agents&mode=keyword&limit=3&has_code=true" })
        {
            var after = await api.GetFromJsonAsync<JsonElement[]>(url);
            Assert.Equal(3, after!.Length);
            Assert.DoesNotContain(after, h => h.GetProperty("paper").GetProperty("id").GetString() == top);
        }
    }

    [Fact]
    public async Task ARepliedToCommentThatAModeratorHidGetsNoReplies()
    {
        await using var app = new AppFactory().With("Digest:Schedule", "false");
        await app.ImportAsync("hf/2026-08-21.jsonl");
        var (_, moderator) = await Browser.UserWithTokenAsync(app, "mod@example.org", Roles.Moderator);
        var (_, member) = await Browser.UserWithTokenAsync(app, "member@example.org", Roles.Member);
        await Expect(app, member, "POST", "/api/papers/2608.14022/comments", new { body = "spam" }, HttpStatusCode.Created);
        await Expect(app, member, "POST", "/api/papers/2608.14022/comments", new { body = "a reply", parentId = 1 }, HttpStatusCode.Created);
        await Expect(app, moderator, "POST", "/api/comments/1/hide", null, HttpStatusCode.NoContent);
        await Expect(app, member, "POST", "/api/papers/2608.14022/comments", new { body = "another reply", parentId = 1 }, HttpStatusCode.BadRequest);
        Assert.Equal(2, await app.WithDbAsync(db => db.Comments.CountAsync()));
    }

    [Fact]
    public async Task ImportExportMergeAndJobsSeeIt()
    {
        var (app, _, _) = await HiddenAsync();
        await using var _ = app;
        var hiddenAt = await app.WithDbAsync(db => db.PapersIncludingHidden.Where(p => p.Id == Hidden).Select(p => p.HiddenAt).SingleAsync());
        // A re-import neither fails nor unhides it.
        var again = await app.ImportAsync("hf/2026-08-21.jsonl");
        Assert.Equal((0, 0), (again.Rejected, again.Papers.New));
        Assert.Equal(hiddenAt, await app.WithDbAsync(db => db.PapersIncludingHidden.Where(p => p.Id == Hidden).Select(p => p.HiddenAt).SingleAsync()));
        // Jobs: trending and embeddings include it, so a restored paper is ranked and searchable at once.
        var now = new DateTime(2026, 8, 21, 12, 0, 0, DateTimeKind.Utc);
        await app.WithDbAsync(db => Votes.TrendingScores.RefreshAllAsync(db, now));
        Assert.True(await app.WithDbAsync(db => db.PapersIncludingHidden.Where(p => p.Id == Hidden).Select(p => p.Trending).SingleAsync()) > 0);
        // The export carries it, hidden, and a restore keeps it hidden.
        await using var scope = app.Services.CreateAsyncScope();
        var text = new StringWriter();
        await scope.ServiceProvider.GetRequiredService<global::DailyPapers.Ingest.Exporter>().ExportAsync(text);
        var line = text.ToString().Split('\n').Single(l => l.Contains($"\"id\":\"{Hidden}\"", StringComparison.Ordinal));
        Assert.Contains("\"hiddenAt\"", line);
        await using var restored = new AppFactory();
        var file = Some.File(text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.NotNull(restored.Server); // the host up: it creates the schema
        await using (var s = restored.Services.CreateAsyncScope())
        {
            using var input = global::DailyPapers.Ingest.InputFile.Open(file);
            await s.ServiceProvider.GetRequiredService<global::DailyPapers.Ingest.Importer>().ImportAsync(input.Records());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await restored.CreateClient().GetAsync($"/api/papers/{Hidden}")).StatusCode);
        Assert.True(await restored.WithDbAsync(db => db.PapersIncludingHidden.AnyAsync(p => p.Id == Hidden && p.HiddenAt != null)));
    }

    [Fact]
    public async Task DigestsLeaveItOutEvenWhenHiddenAfterComposing()
    {
        await using var app = new AppFactory().With("Digest:Schedule", "false");
        await app.ImportAsync("hf/2026-08-21.jsonl");
        await app.WithDbAsync(async db =>
        {
            db.Subscriptions.Add(new Subscription { Email = "reader@example.org", Status = SubscriptionStatus.Confirmed, Cadence = Cadence.Daily, Count = 50, CreatedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });
        await using var scope = app.Services.CreateAsyncScope();
        var period = Period.Day(new DateOnly(2026, 8, 21));
        await scope.ServiceProvider.GetRequiredService<DigestComposer>().ComposeAndStoreAsync(Cadence.Daily, period);
        var message = await app.WithDbAsync(db => db.Outbox.SingleAsync(m => m.Kind == "digest"));
        Assert.Contains(Hidden, message.PaperIdsJson); // composed before the hiding
        var (_, moderator) = await Browser.UserWithTokenAsync(app, "mod@example.org", Roles.Moderator);
        await Expect(app, moderator, "POST", $"/api/papers/{Hidden}/hide", null, HttpStatusCode.NoContent);
        var mail = await app.Services.CreateAsyncScope().ServiceProvider.GetRequiredService<Outbox>().DigestMailAsync(message, viewUrl: false);
        Assert.DoesNotContain(mail.Papers, p => p.Id == Hidden);
        Assert.Equal(16, mail.Papers.Count);
    }
}
