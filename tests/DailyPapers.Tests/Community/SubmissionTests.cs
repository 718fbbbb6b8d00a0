using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DailyPapers.Submissions;
using DailyPapers.Tests.Digest;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DailyPapers.Tests.Community;

public class SubmissionTests
{
    // Two days after arXiv 1111.2011v2 was first published (2011-11-08): young enough to submit.
    static readonly DateTimeOffset Thursday = new(2011, 11, 10, 9, 0, 0, TimeSpan.Zero);

    static AppFactory App(StubArxiv arxiv, TestClock clock, params (string Key, string Value)[] settings)
    {
        var app = new AppFactory().With("Digest:Schedule", "false").With("Submissions:ArxivApiUrl", "http://arxiv.stub/api/query")
            .WithServices(s =>
            {
                s.AddSingleton<TimeProvider>(clock);
                s.AddHttpClient<ArxivClient>().ConfigurePrimaryHttpMessageHandler(() => arxiv);
            });
        foreach (var (k, v) in settings) app.With(k, v);
        return app;
    }

    static async Task<HttpResponseMessage> SubmitAsync(AppFactory app, string token, object body)
    {
        var request = Browser.WithBearer(HttpMethod.Post, "/api/submissions", token);
        request.Content = JsonContent.Create(body);
        return await app.CreateClient().SendAsync(request);
    }

    [Fact]
    public async Task APaperNewHereIsFetchedFromArxivAndPutOnTodaysList()
    {
        var arxiv = new StubArxiv().Serve("arxiv/id_list_1111.2011v2.xml");
        await using var app = App(arxiv, new TestClock(Thursday));
        var (_, token) = await Browser.UserWithTokenAsync(app, "ada@example.org");
        var r = await SubmitAsync(app, token, new { url = "https://arxiv.org/abs/1111.2011v2", comment = "Worth a read: *clear* proofs." });
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        Assert.Contains("id_list=1111.2011", Assert.Single(arxiv.Requests));

        var day = await app.CreateClient().GetFromJsonAsync<JsonElement[]>("/api/daily_papers?date=2011-11-10");
        var entry = Assert.Single(day!);
        Assert.Equal("1111.2011", entry.GetProperty("paper").GetProperty("id").GetString());
        Assert.Equal("ada", entry.GetProperty("submittedBy").GetProperty("fullname").GetString());
        Assert.Equal(1, entry.GetProperty("numComments").GetInt32());
        Assert.Contains("<em>clear</em>", await app.CreateClient().GetStringAsync("/papers/1111.2011"));

        // Again the same day: refused, and nothing fetched or added.
        var again = await SubmitAsync(app, token, new { arxivId = "1111.2011" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("already on today's list", await again.Content.ReadAsStringAsync());
        Assert.Single(arxiv.Requests);
    }

    [Fact]
    public async Task SubmitterOnTheApiFindsWhatAnAccountSubmittedHere()
    {
        var arxiv = new StubArxiv().Serve("arxiv/id_list_1111.2011v2.xml");
        await using var app = App(arxiv, new TestClock(Thursday));
        var (_, token) = await Browser.UserWithTokenAsync(app, "ada@example.org");
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(app, token, new { arxivId = "1111.2011" })).StatusCode);
        var mine = await app.CreateClient().GetFromJsonAsync<JsonElement[]>("/api/daily_papers?submitter=ada");
        Assert.Equal("1111.2011", Assert.Single(mine!).GetProperty("paper").GetProperty("id").GetString());
        Assert.Empty((await app.CreateClient().GetFromJsonAsync<JsonElement[]>("/api/daily_papers?submitter=bob"))!);
        Assert.Single((await app.CreateClient().GetFromJsonAsync<JsonElement[]>("/api/daily_papers?date=2011-11-10&submitter=ada"))!);
    }

    [Fact]
    public async Task TheRulesAreConfiguredAndExplained()
    {
        var clock = new TestClock(Thursday.AddDays(20));
        var arxiv = new StubArxiv().Serve("arxiv/id_list_1111.2011v2.xml");
        await using var app = App(arxiv, clock, ("Submissions:PerAccountPerDay", "1"), ("Submissions:AllowWeekends", "false"));
        await app.ImportAsync("hf/2026-08-21.jsonl");
        var (_, token) = await Browser.UserWithTokenAsync(app, "ada@example.org");
        var old = await SubmitAsync(app, token, new { arxivId = "1111.2011" });
        Assert.Equal(HttpStatusCode.Conflict, old.StatusCode);
        Assert.Contains("more than 14 days ago", await old.Content.ReadAsStringAsync());

        clock.Now = new DateTimeOffset(2026, 8, 22, 10, 0, 0, TimeSpan.Zero); // a Saturday
        var weekend = await SubmitAsync(app, token, new { arxivId = "2608.19880" });
        Assert.Contains("weekdays only", await weekend.Content.ReadAsStringAsync());
        clock.Now = new DateTimeOffset(2026, 8, 24, 10, 0, 0, TimeSpan.Zero); // Monday
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(app, token, new { arxivId = "2608.19880" })).StatusCode); // known: no fetch
        var cap = await SubmitAsync(app, token, new { arxivId = "2608.18580" });
        Assert.Equal(HttpStatusCode.Conflict, cap.StatusCode);
        Assert.Contains("the most a day", await cap.Content.ReadAsStringAsync());
        Assert.Single(arxiv.Requests);
    }

    [Fact]
    public async Task BadSubmissionsAreClear4xxOr503()
    {
        var arxiv = new StubArxiv().ServeRecorded("arxiv/id_0000.0000_s0_m100_8b51d9633a68.json"); // arXiv: no such paper; then nothing (down)
        await using var app = App(arxiv, new TestClock(Thursday));
        var (_, token) = await Browser.UserWithTokenAsync(app, "ada@example.org");
        Assert.Equal(HttpStatusCode.NotFound, (await SubmitAsync(app, token, new { arxivId = "1111.9999" })).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await SubmitAsync(app, token, new { arxivId = "1111.9998" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await SubmitAsync(app, token, new { arxivId = "not an id" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await SubmitAsync(app, token, new { arxivId = "https://evil.example/abs/1111.2011" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await SubmitAsync(app, token, new { arxivId = "1111.2011", comment = new string('x', 10_001) })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().PostAsJsonAsync("/api/submissions", new { arxivId = "1111.2011" })).StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.DailyEntries.CountAsync()));
    }

    [Theory]
    [InlineData("2405.15738", "2405.15738")]
    [InlineData(" 2405.15738v3 ", "2405.15738")]
    [InlineData("https://arxiv.org/abs/2405.15738v2", "2405.15738")]
    [InlineData("https://arxiv.org/pdf/2405.15738.pdf", "2405.15738")]
    [InlineData("http://export.arxiv.org/abs/math/0601001", "math/0601001")]
    [InlineData("https://arxiv.org/html/2405.15738v1", "2405.15738")]
    [InlineData("arxiv.org/abs/2405.15738 junk", null)]
    [InlineData("https://arxiv.org.evil.example/abs/2405.15738", null)]
    [InlineData("", null)]
    public void IdsAndLinksAreRead(string input, string? id)
    {
        Assert.Equal(id is not null, SubmissionRules.TryId(input, out var parsed));
        if (id is not null) Assert.Equal(id, parsed);
    }
}
