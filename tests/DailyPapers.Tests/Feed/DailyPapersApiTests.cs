using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace DailyPapers.Tests.Feed;

public class DailyPapersApiTests
{
    static async Task<AppFactory> AppWithAsync(params string[] fixtures)
    {
        var app = new AppFactory();
        await app.ImportAsync(fixtures);
        return app;
    }

    [Fact]
    public async Task ADayListsExactlyThatDaysEntriesInUpvoteOrder()
    {
        await using var app = await AppWithAsync("hf/2026-08-21.jsonl", "hf/week-2026-W34.jsonl");
        var entries = await app.CreateClient().GetFromJsonAsync<JsonElement[]>("/api/daily_papers?date=2026-08-21");
        var expected = Fixture.Lines("hf/2026-08-21.jsonl").Select(Some.Json)
            .Select((e, i) => (Id: e.GetProperty("paper").GetProperty("id").GetString(), Up: e.GetProperty("paper").GetProperty("upvotes").GetInt32(), i))
            .OrderByDescending(x => x.Up).ThenBy(x => x.i).Select(x => x.Id).ToList();
        Assert.Equal(expected, entries!.Select(e => e.GetProperty("paper").GetProperty("id").GetString()));
        var upvotes = entries!.Select(e => e.GetProperty("paper").GetProperty("upvotes").GetInt32()).ToList();
        Assert.Equal(upvotes.OrderDescending(), upvotes);
    }

    [Fact]
    public async Task EntriesHaveHuggingFacesShape()
    {
        await using var app = await AppWithAsync("hf/2026-08-21.jsonl");
        var entry = (await app.CreateClient().GetFromJsonAsync<JsonElement[]>("/api/daily_papers?date=2026-08-21"))![0];
        foreach (var key in new[] { "paper", "publishedAt", "title", "summary", "numComments", "submittedBy" })
            Assert.True(entry.TryGetProperty(key, out _), key);
        var paper = entry.GetProperty("paper");
        foreach (var key in new[] { "id", "title", "summary", "authors", "publishedAt", "upvotes", "githubRepo", "githubStars", "projectPage" })
            Assert.True(paper.TryGetProperty(key, out _), key);
        Assert.Equal(JsonValueKind.Array, paper.GetProperty("authors").ValueKind);
        Assert.True(paper.GetProperty("authors")[0].TryGetProperty("name", out _));
        Assert.EndsWith("Z", paper.GetProperty("publishedAt").GetString());
    }

    [Fact]
    public async Task WithoutAPeriodTheNewestFeaturedDayComesFirstAndPagesGoBackInTime()
    {
        await using var app = await AppWithAsync("hf/2024-05-27.jsonl", "hf/2026-08-21.jsonl");
        var (newest, oldest) = (Fixture.Lines("hf/2026-08-21.jsonl").Length, Fixture.Lines("hf/2024-05-27.jsonl").Length);
        var response = await app.CreateClient().GetAsync($"/api/daily_papers?limit={newest}");
        Assert.Equal((newest + oldest).ToString(), response.Headers.GetValues("X-Total-Count").Single());
        var first = await response.Content.ReadFromJsonAsync<JsonElement[]>();
        Assert.All(first!, e => Assert.Equal("2026-08-21", e.GetProperty("date").GetString()));
        var day = await app.CreateClient().GetFromJsonAsync<JsonElement[]>($"/api/daily_papers?date=2026-08-21&limit={newest}");
        Assert.Equal(Ids(day!), Ids(first!)); // each day in its feed order
        var next = await app.CreateClient().GetFromJsonAsync<JsonElement[]>(response.Headers.GetValues("Link").Single().Split('<', '>')[1]);
        Assert.Equal(Math.Min(newest, oldest), next!.Length);
        Assert.All(next!, e => Assert.Equal("2024-05-27", e.GetProperty("date").GetString()));
    }

    static List<string?> Ids(JsonElement[] entries) => entries.Select(e => e.GetProperty("paper").GetProperty("id").GetString()).ToList();

    [Fact]
    public async Task AWeekRunsFridayToThursdayAndListsAPaperOnEveryDayItWasFeatured()
    {
        await using var app = await AppWithAsync("hf/week-2026-W34.jsonl", "hf/2026-08-21.jsonl");
        var response = await app.CreateClient().GetAsync("/api/daily_papers?week=2026-W34&limit=100");
        Assert.Equal("116", response.Headers.GetValues("X-Total-Count").Single());
        var entries = await app.CreateClient().GetFromJsonAsync<JsonElement[]>("/api/daily_papers?week=2026-W34&limit=100&p=1");
        entries = [.. (await response.Content.ReadFromJsonAsync<JsonElement[]>())!, .. entries!];
        var days = entries.Select(e => (Id: e.GetProperty("paper").GetProperty("id").GetString(), Date: e.GetProperty("date").GetString())).ToList();
        Assert.Equal(116, days.Distinct().Count());
        Assert.Equal(115, days.Select(d => d.Id).Distinct().Count());
        Assert.All(days, d => Assert.InRange(d.Date!, "2026-08-14", "2026-08-20"));
        // featured on the 14th and again on the 20th: listed on both days, as Hugging Face lists it
        Assert.Equal(["2026-08-14", "2026-08-20"], days.Where(d => d.Id == "2608.13558").Select(d => d.Date).Order());
    }

    [Fact]
    public async Task PagesFollowTheLinkHeaderToTheEnd()
    {
        await using var app = await AppWithAsync("hf/week-2026-W34.jsonl");
        var client = app.CreateClient();
        var seen = new List<string>();
        var featured = new List<string>();
        string? url = "/api/daily_papers?month=2026-08&limit=40";
        while (url is not null)
        {
            var response = await client.GetAsync(url);
            var page = await response.Content.ReadFromJsonAsync<JsonElement[]>();
            seen.AddRange(page!.Select(e => e.GetProperty("paper").GetProperty("id").GetString()!));
            featured.AddRange(page!.Select(e => e.GetProperty("date").GetString() + " " + e.GetProperty("paper").GetProperty("id").GetString()));
            url = response.Headers.TryGetValues("Link", out var link) ? link.Single().Split('<', '>')[1] : null;
        }
        Assert.Equal(116, seen.Count); // 115 papers, one of them featured twice in the month
        Assert.Equal(116, featured.Distinct().Count());
        Assert.Equal(115, seen.Distinct().Count());
    }

    [Theory]
    [InlineData("sort=publishedAt")]
    [InlineData("sort=upvotes")]
    public async Task SortByPublishedAtIsTheFeedOrderAsOnHuggingFace(string sort)
    {
        await using var app = await AppWithAsync("hf/2026-08-21.jsonl");
        var sorted = await app.CreateClient().GetFromJsonAsync<JsonElement[]>("/api/daily_papers?date=2026-08-21&" + sort);
        var plain = await app.CreateClient().GetFromJsonAsync<JsonElement[]>("/api/daily_papers?date=2026-08-21");
        Assert.Equal(Ids(plain!), Ids(sorted!));
        var upvotes = sorted!.Select(e => e.GetProperty("paper").GetProperty("upvotes").GetInt32()).ToList();
        Assert.Equal(upvotes.OrderDescending(), upvotes);
    }

    [Fact]
    public async Task AnEmptyHubAnswersAnEmptyList()
    {
        await using var app = new AppFactory();
        Assert.Equal("[]", await app.CreateClient().GetStringAsync("/api/daily_papers"));
        Assert.Equal("[]", await app.CreateClient().GetStringAsync("/api/daily_papers?date=2020-01-01"));
    }

    [Theory]
    [InlineData("date=2026-13-45", "date")]
    [InlineData("date=yesterday", "date")]
    [InlineData("week=2026-W60", "week")]
    [InlineData("month=2026-00", "month")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=-5", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("p=-1", "p")]
    [InlineData("p=99999999999999999999", "p")]
    [InlineData("sort=random", "sort")]
    [InlineData("date=2026-08-21&month=2026-08", "only one")]
    [InlineData("date=%00%ff", "date")]
    public async Task BadParametersAnswer400NamingTheParameter(string query, string named)
    {
        await using var app = new AppFactory();
        var response = await app.CreateClient().GetAsync("/api/daily_papers?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString();
        Assert.Contains(named, error);
    }
}
