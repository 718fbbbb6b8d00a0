using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using DailyPapers.Accounts;
using DailyPapers.Digest;
using DailyPapers.Feed;
using DailyPapers.Tests.Community;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DailyPapers.Tests.Trust;

/// <summary>
/// One truth per number: a paper with Hugging Face's counts (163 upvotes, 1 comment there) and this hub's (2 votes,
/// 2 comments here) shows the same numbers on every surface: 165 upvotes; 2 comments here and 1 on Hugging Face,
/// 3 in all where one number is asked for (the API's numComments, trending).
/// </summary>
public class CountsTests
{
    const string Id = "2608.19880";

    static async Task<AppFactory> AppAsync()
    {
        var app = new AppFactory().With("Digest:Schedule", "false");
        await app.ImportAsync("hf/2026-08-21.jsonl");
        var (_, a) = await Browser.UserWithTokenAsync(app, "a@example.org", Roles.Admin);
        var (_, b) = await Browser.UserWithTokenAsync(app, "b@example.org", Roles.Member);
        foreach (var token in new[] { a, b })
        {
            Assert.True((await Browser.SendAsync(app, HttpMethod.Post, $"/api/papers/{Id}/upvote", token)).IsSuccessStatusCode);
            Assert.True((await Browser.SendAsync(app, HttpMethod.Post, $"/api/papers/{Id}/comments", token, new { body = "Nice." })).IsSuccessStatusCode);
        }
        Assert.True((await Browser.SendAsync(app, HttpMethod.Post, "/api/collections", a, new { name = "Public", isPublic = true })).IsSuccessStatusCode);
        Assert.True((await Browser.SendAsync(app, HttpMethod.Post, "/api/collections/1/papers", a, new { arxivId = Id })).IsSuccessStatusCode);
        return app;
    }

    [Fact]
    public async Task TheApiGivesTheSameNumbersEverywhere()
    {
        await using var app = await AppAsync();
        var api = app.CreateClient();
        var paper = await api.GetFromJsonAsync<JsonElement>($"/api/papers/{Id}");
        Assert.Equal((165, 3), (paper.GetProperty("upvotes").GetInt32(), paper.GetProperty("numComments").GetInt32()));
        var entry = (await api.GetFromJsonAsync<JsonElement[]>("/api/daily_papers?date=2026-08-21"))!.Single(e => e.GetProperty("paper").GetProperty("id").GetString() == Id);
        Assert.Equal((165, 3), (entry.GetProperty("paper").GetProperty("upvotes").GetInt32(), entry.GetProperty("numComments").GetInt32()));
        var hit = (await api.GetFromJsonAsync<JsonElement[]>("/api/papers/search?q=EnvHarness&mode=keyword"))!.Single();
        Assert.Equal((165, 3), (hit.GetProperty("paper").GetProperty("upvotes").GetInt32(), hit.GetProperty("numComments").GetInt32()));
        var trending = (await api.GetFromJsonAsync<JsonElement[]>("/api/trending"))!.Single(e => e.GetProperty("paper").GetProperty("id").GetString() == Id);
        Assert.Equal(165, trending.GetProperty("paper").GetProperty("upvotes").GetInt32());
        var collection = await api.GetFromJsonAsync<JsonElement>("/api/collections/1");
        Assert.Equal(165, collection.GetProperty("papers")[0].GetProperty("upvotes").GetInt32());
    }

    [Fact]
    public async Task EveryCardAndPageShowsTheSameNumbersAndSaysWhereTheCommentsAre()
    {
        await using var app = await AppAsync();
        var api = app.CreateClient();
        foreach (var page in new[] { "/", "/papers?week=2026-W35", "/papers?month=2026-08", "/trending", "/search?q=EnvHarness", "/collections/1" })
        {
            var card = Card(await api.GetStringAsync(page));
            Assert.Contains("<span>165</span>", card); // the upvote button
            Assert.Contains(">2 comments</a>", card);
            Assert.Contains($"<a href=\"https://huggingface.co/papers/{Id}\">1 on Hugging Face</a>", card);
        }
        var html = await api.GetStringAsync($"/papers/{Id}");
        Assert.Contains("<span>165</span>", html);
        Assert.Contains("2 here</a>", html);
        Assert.Contains("1 on Hugging Face</a>", html);
        Assert.Contains("Comments (2)", html);
        Assert.Contains("165 upvotes + 0.5 × 3 counted comments", System.Net.WebUtility.HtmlDecode(html)); // the trending explanation
    }

    [Fact]
    public async Task FeedsMarkdownAndDigestsShowTheSameUpvotes()
    {
        await using var app = await AppAsync();
        var api = app.CreateClient();
        foreach (var feed in new[] { "/papers.rss?date=2026-08-21", "/papers.atom?date=2026-08-21", "/trending.rss", "/search.atom?q=EnvHarness", "/collections/1.rss" })
            Assert.Contains($"165 upvotes · arXiv {Id}", await api.GetStringAsync(feed));
        Assert.Contains("- Upvotes: 165", await api.GetStringAsync($"/papers/{Id}.md"));
        await app.WithDbAsync(async db =>
        {
            db.Subscriptions.Add(new Subscription { Email = "reader@example.org", Status = SubscriptionStatus.Confirmed, Cadence = Cadence.Daily, Count = 50, CreatedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DigestComposer>().ComposeAndStoreAsync(Cadence.Daily, Period.Day(new DateOnly(2026, 8, 21)));
        var message = await app.WithDbAsync(db => db.Outbox.SingleAsync(m => m.Kind == "digest"));
        var mail = await scope.ServiceProvider.GetRequiredService<Outbox>().DigestMailAsync(message, viewUrl: false);
        Assert.Equal(165, mail.Papers.Single(p => p.Id == Id).Upvotes);
    }

    /// <summary>The one card of the paper in a list page.</summary>
    static string Card(string html)
    {
        var m = Regex.Match(html, $"<li class=\"card\">(?:(?!</li>).)*?/papers/{Regex.Escape(Id)}/upvote.*?</li>", RegexOptions.Singleline);
        Assert.True(m.Success, "no card for the paper");
        return m.Value;
    }
}
