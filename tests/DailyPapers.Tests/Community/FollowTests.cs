using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DailyPapers.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DailyPapers.Tests.Community;

public class FollowTests
{
    static async Task<string[]> ForYouAsync(AppFactory app, string token) =>
        (await (await Browser.SendAsync(app, HttpMethod.Get, "/api/for-you?limit=5", token)).Content.ReadFromJsonAsync<JsonElement[]>())!
        .Select(e => e.GetProperty("paper").GetProperty("id").GetString()!).ToArray();

    [Fact]
    public async Task FollowsComeFirstAndWhatYouLikedIsLeftOut()
    {
        await using var app = new AppFactory().With("Digest:Schedule", "false");
        await app.ImportAsync("hf/2026-08-21.jsonl");
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<Embeddings>().EmbedMissingAsync();
        var (_, token) = await Browser.UserWithTokenAsync(app, "ada@example.org");

        // Following nothing and liking nothing: the recent papers in trending order.
        Assert.Equal(["2608.19880", "2608.18580", "2608.20335", "2608.19799", "2608.20336"], await ForYouAsync(app, token));

        Assert.Equal(HttpStatusCode.NoContent, (await Browser.SendAsync(app, HttpMethod.Post, "/api/follows", token, new { kind = "author", value = "Umberto Cappellazzo" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Browser.SendAsync(app, HttpMethod.Post, "/api/follows", token, new { kind = "author", value = "Umberto Cappellazzo" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Browser.SendAsync(app, HttpMethod.Post, "/api/follows", token, new { kind = "keyword", value = "video world" })).StatusCode);
        var follows = await (await Browser.SendAsync(app, HttpMethod.Get, "/api/follows", token)).Content.ReadFromJsonAsync<JsonElement[]>();
        Assert.Equal(2, follows!.Length);
        var ranked = await ForYouAsync(app, token);
        Assert.Equal("2608.19863", ranked[0]); // by the followed author: weighs most
        Assert.Equal("2608.14022", ranked[1]); // the followed keyword

        // Upvoted papers are left out: the reader has seen them. Their likeness still counts.
        Assert.Equal(HttpStatusCode.OK, (await Browser.SendAsync(app, HttpMethod.Post, "/api/papers/2608.19880/upvote", token)).StatusCode);
        Assert.DoesNotContain("2608.19880", await ForYouAsync(app, token));

        Assert.Equal(HttpStatusCode.NoContent, (await Browser.SendAsync(app, HttpMethod.Delete, "/api/follows", token, new { kind = "author", value = "Umberto Cappellazzo" })).StatusCode);
        Assert.NotEqual("2608.19863", (await ForYouAsync(app, token))[0]);
        var browser = new Browser(app);
        Assert.True(Browser.IsRedirectTo(await browser.Client.GetAsync("/for-you"), "/account/signin?ReturnUrl=%2Ffor-you"));
    }

    [Theory]
    [InlineData("""{"kind": "planet", "value": "Mars"}""")]
    [InlineData("""{"kind": "category", "value": "not a category!"}""")]
    [InlineData("""{"kind": "keyword", "value": ""}""")]
    [InlineData("""{"kind": "author"}""")]
    [InlineData("""nope""")]
    public async Task BadFollowsAreRefused(string body)
    {
        await using var app = new AppFactory().With("Digest:Schedule", "false");
        var (_, token) = await Browser.UserWithTokenAsync(app, "ada@example.org");
        var request = Browser.WithBearer(HttpMethod.Post, "/api/follows", token);
        request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, (await app.CreateClient().SendAsync(request)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Browser.SendAsync(app, HttpMethod.Post, "/api/follows", null, new { kind = "author", value = "x" })).StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.Follows.CountAsync()));
    }
}

public class PersonalPicksTests
{
    [Fact]
    public async Task ASubscriberWithAnAccountGetsPersonalPicksFromWhatTheyFollow()
    {
        // Without the server's jobs: composing wakes its digest job, which would send the mails this test sends and
        // reads, and a mail it was still writing was missing from the folder (a failure on PostgreSQL in CI).
        await using var app = new AppFactory().With("Digest:Schedule", "false").With("Mail:MaxPerSecond", "0").WithoutJobs();
        await app.ImportAsync("hf/2026-08-21.jsonl");
        var (user, _) = await Browser.UserWithTokenAsync(app, "ada@example.org");
        await app.WithDbAsync(async db =>
        {
            db.Follows.Add(new DailyPapers.Follows.Follow { UserId = user.Id, Kind = "author", Value = "Umberto Cappellazzo", CreatedAt = DateTime.UtcNow });
            db.Subscriptions.Add(new DailyPapers.Digest.Subscription { Email = "ada@example.org", Status = "confirmed", Cadence = "daily", Count = 3, CreatedAt = DateTime.UtcNow });
            db.Subscriptions.Add(new DailyPapers.Digest.Subscription { Email = "bob@example.org", Status = "confirmed", Cadence = "daily", Count = 3, CreatedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DailyPapers.Digest.DigestComposer>().ComposeAndStoreAsync("daily", DailyPapers.Feed.Period.Day(new DateOnly(2026, 8, 21)));
            await scope.ServiceProvider.GetRequiredService<DailyPapers.Digest.Outbox>().SendDueAsync();
        }
        var mails = await Task.WhenAll(Directory.GetFiles(Path.Combine(app.DataDir, "outbox"), "digest-*.eml").Select(f => MimeKit.MimeMessage.LoadAsync(f)));
        var ada = mails.Single(m => m.To.Mailboxes.Single().Address == "ada@example.org").TextBody!;
        var bob = mails.Single(m => m.To.Mailboxes.Single().Address == "bob@example.org").TextBody!;
        Assert.StartsWith("1. Listening Forward", ada[ada.IndexOf("1. ", StringComparison.Ordinal)..]);
        Assert.Contains("[picked for you]", ada);
        Assert.Contains("2. EnvHarness", ada);
        Assert.DoesNotContain("Listening Forward", bob); // no account, no picks: the day's top three
        Assert.DoesNotContain("[picked for you]", bob);
    }
}
