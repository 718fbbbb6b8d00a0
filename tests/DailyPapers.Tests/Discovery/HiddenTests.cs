using System.Net;
using System.Text.Json;
using DailyPapers.Accounts;
using DailyPapers.Discovery;
using DailyPapers.Tests.Community;

namespace DailyPapers.Tests.Discovery;

/// <summary>A paper a moderator hid is on no discovery page, feed or count; the same pages stay the same for every reader.</summary>
public class HiddenTests
{
    const string Kaggle = "kaggle/arxiv-metadata-oai-snapshot.sample200.jsonl";
    static readonly string[] Hf = ["hf/week-2026-W34.jsonl", "hf/2026-08-21.jsonl"];

    [Fact]
    public async Task AHiddenPaperIsOnNoDiscoveryPageFeedOrCount()
    {
        await using var app = new AppFactory();
        await app.ImportAsync([Kaggle, .. Hf]);
        var hf = FixturePaper.Read(Hf);
        var byKaipeng = FixturePaper.NewestFirst(hf.Where(p => p.Authors.Contains("Kaipeng Zhang")));
        var hidden = hf.Single(p => p.Id == byKaipeng[0]);
        var tencent = FixturePaper.NewestFirst(hf.Where(p => p.Organizations.Contains("tencent")))[0];
        var mathCo = Fixture.Lines(Kaggle).Select(l => JsonDocument.Parse(l).RootElement)
            .First(r => r.GetProperty("categories").GetString()!.Split(' ').Contains("math.CO")).GetProperty("id").GetString()!;
        var client = app.CreateClient();
        var dayBefore = await client.GetStringAsync("/calendar");
        var (_, moderator) = await Browser.UserWithTokenAsync(app, "mod@example.org", Roles.Moderator);
        foreach (var id in new[] { hidden.Id, tencent, mathCo })
            Assert.Equal(HttpStatusCode.NoContent, (await Browser.SendAsync(app, HttpMethod.Post, $"/api/papers/{id}/hide", moderator)).StatusCode);

        var urls = new[] { Links.Author("Kaipeng Zhang"), Links.Organization("tencent"), Links.Category("math.CO"), Links.Category("math") }
            .SelectMany(path => new[] { path, path + ".rss", path + ".atom", "/api" + path }).Concat(["/categories", "/api/categories", "/calendar"]);
        foreach (var url in urls)
        {
            var r = await client.GetAsync(url);
            Assert.True(r.StatusCode == HttpStatusCode.OK, $"{url}: {(int)r.StatusCode}");
            var body = await r.Content.ReadAsStringAsync();
            foreach (var id in new[] { hidden.Id, tencent, mathCo }) Assert.False(body.Contains(id, StringComparison.Ordinal), $"{url} shows hidden {id}");
        }
        var (author, ids) = await Read.ApiAsync(client, "/api" + Links.Author("Kaipeng Zhang"));
        Assert.Equal(byKaipeng.Skip(1).ToList(), ids);
        // Who wrote only the hidden paper with Kaipeng Zhang is no co-author any more.
        var others = hf.Where(p => ids.Contains(p.Id)).SelectMany(p => p.Authors).ToHashSet();
        var coAuthors = author.GetProperty("coAuthors").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).ToList();
        Assert.All(coAuthors, c => Assert.Contains(c, others));
        // The hidden paper's day counts one paper fewer.
        var day = $"<a href=\"/papers?date={hidden.Date:yyyy-MM-dd}\" title=\"";
        var count = hf.Where(p => p.Date == hidden.Date).Select(p => p.Id).Distinct().Count();
        Assert.Contains(day + $"{count} papers\"", dayBefore);
        Assert.Contains(day + $"{count - 1} papers\"", await client.GetStringAsync("/calendar"));
    }

    [Fact]
    public async Task DiscoveryPagesAreTheSameBytesForEveryReader()
    {
        await using var app = new AppFactory();
        await app.ImportAsync([Kaggle, .. Hf]);
        var member = new Browser(app);
        await member.SignUpAsync("member@example.org");
        Assert.True(Browser.IsRedirectTo(await member.SignInAsync("member@example.org"), "/account"));
        var follow = await member.ApiRequestAsync(HttpMethod.Post, "/api/follows");
        follow.Content = System.Net.Http.Json.JsonContent.Create(new { kind = "author", value = "Kaipeng Zhang" });
        Assert.Equal(HttpStatusCode.NoContent, (await member.Client.SendAsync(follow)).StatusCode);
        var anonymous = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost") });
        foreach (var page in new[] { "/authors/Kaipeng%20Zhang", "/organizations/tencent", "/categories/math", "/categories", "/calendar", "/calendar?year=2026" })
        {
            var seen = await member.Client.GetAsync(page);
            Assert.Equal(HttpStatusCode.OK, seen.StatusCode);
            var html = await seen.Content.ReadAsStringAsync();
            Assert.Equal(await anonymous.GetStringAsync(page), html);
            Assert.DoesNotContain("__RequestVerificationToken", html);
            Assert.False(seen.Headers.Contains("Set-Cookie"), $"{page} sets a cookie");
        }
    }
}
