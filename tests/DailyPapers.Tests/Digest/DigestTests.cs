using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DailyPapers.Digest;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using static DailyPapers.Tests.Digest.MailHarness;

namespace DailyPapers.Tests.Digest;

[Collection("smtp")]
public class DigestTests(Smtp4dev smtp)
{
    [Fact]
    public async Task SubscribingSendsOnlyAConfirmationUntilItIsFollowed()
    {
        await using var app = App(smtp);
        await app.ImportAsync("hf/2026-08-21.jsonl");
        var client = app.CreateClient();
        var email = Address("pending");
        var response = await SubscribeAsync(client, new { email, cadence = "daily" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var mails = await smtp.WaitForAsync(email);
        Assert.Equal("Confirm your DailyPapers digest", mails[0].Subject);

        var report = await SendAsync(app, Cadence.Daily, Day);
        Assert.Equal(0, report.Sent);
        Assert.Single(await smtp.MessagesAsync(email));
        Assert.Equal(SubscriptionStatus.Pending, await app.WithDbAsync(db => db.Subscriptions.Select(s => s.Status).SingleAsync()));
    }

    [Fact]
    public async Task AConfirmedSubscriberGetsOneDigestWithBothPartsAndListHeaders()
    {
        await using var app = App(smtp);
        await app.ImportAsync("hf/2026-08-21.jsonl");
        var client = app.CreateClient();
        var email = Address("reader");
        await SubscribeConfirmedAsync(client, smtp, new { email, cadence = "daily", count = 5 }, email);

        Assert.Equal(1, (await SendAsync(app, Cadence.Daily, Day)).Sent);
        Assert.Equal(0, (await SendAsync(app, Cadence.Daily, Day)).Sent); // composing again adds nothing
        var mails = await smtp.WaitForAsync(email, 2);
        Assert.Equal(2, mails.Count);
        var digest = await smtp.ReadAsync(mails[1].Id);

        Assert.Equal("DailyPapers: 5 papers, Friday, 21 August 2026", digest.Subject);
        var alternative = Assert.IsType<MultipartAlternative>(digest.Body);
        Assert.Equal(["text/plain", "text/html"], alternative.Select(p => p.ContentType.MimeType));
        // The top five of the day by upvotes, in order, in both parts.
        string[] top = ["EnvHarness: Awakening Static Worlds for Agent Learning", "FACET: Preserving Source Intent",
            "4DAnyone: Create Anyone in 4D", "SWE-bench Science", "WithEveryone: Unified Planning"];
        AssertInOrder(digest.TextBody!, top);
        AssertInOrder(digest.HtmlBody!, top);
        Assert.DoesNotContain("MemTrapBench", digest.TextBody!);
        Assert.Contains($"{Site}/papers/2608.19880", digest.TextBody!);
        Assert.Contains("https://arxiv.org/abs/2608.19880", digest.HtmlBody!);

        Assert.Matches(@"^[0-9a-f]{32}@dailypapers\.test$", digest.MessageId);
        Assert.True(digest.Date > DateTimeOffset.UtcNow.AddHours(-1));
        Assert.Equal("DailyPapers digest <digest.dailypapers.test>", digest.Headers["List-Id"]);
        Assert.Equal("List-Unsubscribe=One-Click", digest.Headers["List-Unsubscribe-Post"]);
        var unsubscribe = Link(digest, "/digest/unsubscribe");
        Assert.Equal($"<{Site}{unsubscribe}>", digest.Headers["List-Unsubscribe"]!.Replace(" ", ""));
        Assert.Contains("Unsubscribe", digest.HtmlBody!);
        Assert.Contains(unsubscribe.Replace("&", "&amp;"), digest.HtmlBody!);

        // View in a browser: the same digest as a page.
        var view = await client.GetStringAsync(Link(digest, "/digest/view"));
        AssertInOrder(view, top);
    }

    [Fact]
    public async Task OneClickUnsubscribeTakesEffectAtOnce()
    {
        await using var app = App(smtp);
        await app.ImportAsync("hf/2026-08-21.jsonl", "hf/week-2026-W34.jsonl");
        var client = app.CreateClient();
        var email = Address("leaver");
        await SubscribeConfirmedAsync(client, smtp, new { email, cadence = "daily" }, email);
        await SendAsync(app, Cadence.Daily, Day);
        var digest = await smtp.ReadAsync((await smtp.WaitForAsync(email, 2))[1].Id);

        // A digest composed for the next day, not sent yet, is cancelled by the unsubscribe.
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DigestComposer>().ComposeAndStoreAsync(Cadence.Daily, DailyPapers.Feed.Period.Day(Day.AddDays(-1)));
        // RFC 8058: the mail provider posts this body to the List-Unsubscribe address, without cookies.
        var link = digest.Headers["List-Unsubscribe"]!.Trim('<', '>', ' ')[Site.Length..];
        var response = await client.PostAsync(link, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        Assert.Equal(SubscriptionStatus.Unsubscribed, await app.WithDbAsync(db => db.Subscriptions.Select(s => s.Status).SingleAsync()));
        var report = await SendAsync(app, Cadence.Daily, Day.AddDays(-1));
        Assert.Equal(0, report.Sent);
        Assert.Equal(2, (await smtp.MessagesAsync(email)).Count);
        Assert.Equal(OutboxStatus.Cancelled, await app.WithDbAsync(db => db.Outbox.Where(m => m.Period == "date=2026-08-20").Select(m => m.Status).SingleAsync()));
        // The visible link opens a page that says so, and the button on it is idempotent.
        Assert.Contains("gets no more digests", await client.GetStringAsync(Link(digest, "/digest/unsubscribe")));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(link, null)).StatusCode);
    }

    [Fact]
    public async Task TopicMatchesComeFirst()
    {
        await using var app = App(smtp);
        await app.ImportAsync("hf/2026-08-21.jsonl");
        var client = app.CreateClient();
        var email = Address("topics");
        var topics = new { keywords = new[] { "video world" }, authors = new[] { "Umberto Cappellazzo" }, query = "title:benchmark -memory" };
        await SubscribeConfirmedAsync(client, smtp, new { email, cadence = "daily", count = 6, topics }, email);
        await SendAsync(app, Cadence.Daily, Day);
        var digest = await smtp.ReadAsync((await smtp.WaitForAsync(email, 2))[1].Id);

        // The three matches (author; title query; keyword) first, ordered by score and similarity; then the day's top.
        var text = digest.TextBody!;
        var matches = new[] { "Listening Forward", "Towards Quantifying Benchmark", "ForgeWM" };
        Assert.All(matches, m => Assert.True(text.IndexOf(m, StringComparison.Ordinal) is > 0 and var i && i < text.IndexOf("EnvHarness", StringComparison.Ordinal), m));
        AssertInOrder(text, ["EnvHarness", "FACET", "4DAnyone"]);
        // Excluded by -memory though their titles say benchmark; and not in the top fill.
        Assert.DoesNotContain("MemTrapBench", text);
        Assert.DoesNotContain("NARU", text);
        Assert.Contains("3 of these match your topics", digest.TextBody!);
        Assert.Equal(3, Regex("your topics").Count(digest.HtmlBody!) - 1);
    }

    [Fact]
    public async Task AnEmptyPeriodSendsNothing()
    {
        await using var app = App(smtp);
        await app.ImportAsync("hf/2026-08-21.jsonl");
        var client = app.CreateClient();
        var email = Address("empty");
        await SubscribeConfirmedAsync(client, smtp, new { email, cadence = "daily" }, email);
        var report = await SendAsync(app, Cadence.Daily, new DateOnly(2026, 8, 23));
        Assert.Equal(0, report.Sent);
        Assert.Equal(0, await app.WithDbAsync(db => db.Outbox.CountAsync(m => m.Kind == "digest")));
        Assert.Single(await smtp.MessagesAsync(email));
    }

    [Fact]
    public async Task SubscribingAgainChangesNothingUntilConfirmedAndRevealsNothing()
    {
        await using var app = App(smtp);
        var client = app.CreateClient();
        var known = Address("known");
        await SubscribeConfirmedAsync(client, smtp, new { email = known, cadence = "daily" }, known);

        var again = await SubscribeAsync(client, new { email = known, cadence = "weekly", topics = new { keywords = new[] { "agents" } } });
        var stranger = await SubscribeAsync(client, new { email = Address("new"), cadence = "weekly", topics = new { keywords = new[] { "agents" } } });
        Assert.Equal(stranger.StatusCode, again.StatusCode);
        Assert.Equal(await stranger.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        var row = await app.WithDbAsync(db => db.Subscriptions.AsNoTracking().SingleAsync(s => s.Email == known));
        Assert.Equal((SubscriptionStatus.Confirmed, Cadence.Daily), (row.Status, row.Cadence));

        var mails = await smtp.WaitForAsync(known, 2);
        var confirm = Link(await smtp.ReadAsync(mails[1].Id), "/digest/confirm");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(confirm)).StatusCode);
        row = await app.WithDbAsync(db => db.Subscriptions.AsNoTracking().SingleAsync(s => s.Email == known));
        Assert.Equal((SubscriptionStatus.Confirmed, Cadence.Weekly), (row.Status, row.Cadence));
        Assert.Equal(["agents"], row.Preferences.Topics.Keywords);
        // The first confirmation link was replaced by the second.
        var first = Link(await smtp.ReadAsync(mails[0].Id), "/digest/confirm");
        Assert.Contains("Already confirmed", await client.GetStringAsync(first));
    }

    [Fact]
    public async Task TheFormCannotFloodAnInbox()
    {
        await using var app = App(smtp);
        var client = app.CreateClient();
        var email = Address("flooded");
        for (var i = 0; i < 6; i++)
            Assert.Equal(HttpStatusCode.Accepted, (await SubscribeAsync(client, new { email, count = i + 1 })).StatusCode);
        var mails = await smtp.WaitForAsync(email, Subscriptions.ConfirmationsPerDay);
        Assert.Equal(Subscriptions.ConfirmationsPerDay, await app.WithDbAsync(db => db.Outbox.CountAsync()));
        // The last link sent confirms the latest request.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Link(await smtp.ReadAsync(mails[^1].Id), "/digest/confirm"))).StatusCode);
        Assert.Equal(6, await app.WithDbAsync(db => db.Subscriptions.Select(s => s.Count).SingleAsync()));
    }

    [Fact]
    public async Task PreferencesChangeFromTheLinkInEveryMail()
    {
        await using var app = App(smtp);
        await app.ImportAsync("hf/2026-08-21.jsonl");
        var client = app.CreateClient();
        var email = Address("prefs");
        await SubscribeConfirmedAsync(client, smtp, new { email, cadence = "daily" }, email);
        await SendAsync(app, Cadence.Daily, Day);
        var digest = await smtp.ReadAsync((await smtp.WaitForAsync(email, 2))[1].Id);
        var page = await client.GetStringAsync(Link(digest, "/digest/preferences"));
        Assert.Contains(email, page);
        var token = Uri.UnescapeDataString(Link(digest, "/digest/preferences").Split("token=")[1]);

        var saved = await client.PostAsync("/digest/preferences", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = token, ["cadence"] = "weekly", ["count"] = "3", ["keywords"] = "audio, agents", ["categories"] = "cs.CL", ["authors"] = "", ["query"] = "",
        }));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var row = await app.WithDbAsync(db => db.Subscriptions.AsNoTracking().SingleAsync());
        Assert.Equal((Cadence.Weekly, 3), (row.Cadence, row.Count));
        Assert.Equal(["audio", "agents"], row.Preferences.Topics.Keywords);
        Assert.Equal(["cs.CL"], row.Preferences.Topics.Categories);

        var bad = await client.PostAsync("/digest/preferences", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token, ["cadence"] = "hourly" }));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(Cadence.Weekly, await app.WithDbAsync(db => db.Subscriptions.Select(s => s.Cadence).SingleAsync()));
    }

    public static TheoryData<string> BadBodies => new()
    {
        """{"email": "not-an-address"}""",
        """{"email": ""}""",
        """{}""",
        """{"email": "a@b.c\r\nBcc: x@y.z"}""",
        """{"email": "a@b.c\nBcc: x@y.z"}""",
        """{"email": "Eve <eve@example.org>"}""",
        """{"email": "a@example.org, b@example.org"}""",
        """{"email": "a@example.org", "cadence": "hourly"}""",
        """{"email": "a@example.org", "count": 0}""",
        """{"email": "a@example.org", "count": 51}""",
        """{"email": "a@example.org", "topics": {"categories": ["cs.CL\r\nBcc: x@y.z"]}}""",
        """{"email": "a@example.org", "topics": {"keywords": ["ok", "bad\u0000"]}}""",
        """{"email": "a@example.org", "topics": {"query": "-only -exclusions"}}""",
        "{\"email\": \"" + new string('a', 250) + "@example.org\"}",
        "{\"email\": \"a@example.org\", \"topics\": {\"keywords\": [" + string.Join(",", Enumerable.Range(0, 21).Select(i => $"\"k{i}\"")) + "]}}",
        "{\"email\": \"a@example.org\", \"topics\": {\"authors\": [\"" + new string('x', 101) + "\"]}}",
        "{\"email\": \"a@example.org\", \"topics\": {\"query\": \"" + new string('q', 251) + "\"}}",
        """{"email": "a@example.org", "count": "ten"}""",
        """{"email": ["a@example.org"]}""",
        """not json""",
        """[]""",
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task BadSubscriptionsAreRefusedAndNothingIsStoredOrSent(string body)
    {
        await using var app = App(smtp);
        var client = app.CreateClient();
        var response = await client.PostAsync("/api/subscriptions", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString();
        Assert.False(string.IsNullOrWhiteSpace(error));
        Assert.Equal(0, await app.WithDbAsync(db => db.Subscriptions.CountAsync()));
        Assert.Equal(0, await app.WithDbAsync(db => db.Outbox.CountAsync()));
    }

    [Fact]
    public async Task AnOversizeBodyIsRefused()
    {
        await using var app = App(smtp);
        var client = app.CreateClient();
        var huge = JsonSerializer.Serialize(new { email = "a@example.org", topics = new { keywords = Enumerable.Range(0, 5000).Select(i => $"keyword {i}") } });
        var response = await client.PostAsync("/api/subscriptions", new StringContent(huge, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.Subscriptions.CountAsync()));
    }

    // Made-up tokens, tried while real confirmed subscribers (ids 1, 2, 3) exist: a bare id, or anything else that was
    // not signed by this site for that page, must open nothing and change nobody.
    public static TheoryData<string?> MadeUpTokens => new() { null, "", "forged", "abc", "1", "2", "3", "0", "-1", "1:nonce", "CfDJ8forged", "1\r\nBcc: x@y.z" };

    [Theory]
    [MemberData(nameof(MadeUpTokens))]
    public async Task MadeUpTokensOpenNoLinkAndChangeNoSubscriber(string? token)
    {
        await using var app = App(smtp);
        var client = app.CreateClient();
        await SubscribersWithPendingDigestsAsync(app, client);
        foreach (var page in Enum.GetValues<LinkPage>()) await AssertRefusedAsync(client, page, token);
        await AssertNoSubscriberChangedAsync(app);
    }

    [Fact]
    public async Task ANullCharacterInALinkOpensNothing()
    {
        await using var app = App(smtp);
        var client = app.CreateClient();
        await SubscribersWithPendingDigestsAsync(app, client);
        foreach (var page in Enum.GetValues<LinkPage>().Except([LinkPage.SavePreferences])) await AssertRefusedAsync(client, page, "\0\r\n");
        await AssertNoSubscriberChangedAsync(app);
    }

    /// <summary>A form body holding %00 made the framework's form reader throw (answered 500); Http.ReadFormAsync refuses it.</summary>
    [Fact]
    public async Task ANullCharacterInALinkFormIsRefusedAndChangesNothing()
    {
        await using var app = App(smtp);
        var client = app.CreateClient();
        await SubscribersWithPendingDigestsAsync(app, client);
        await AssertRefusedAsync(client, LinkPage.SavePreferences, "\0\r\n");
        var subscribe = await client.PostAsync("/subscribe", new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = "a\0@example.org" }));
        Assert.Equal(HttpStatusCode.BadRequest, subscribe.StatusCode);
        await AssertNoSubscriberChangedAsync(app);
    }

    [Theory]
    [InlineData("confirmation token")]
    [InlineData("view token naming subscriber 1")]
    [InlineData("manage token naming a digest")]
    [InlineData("manage token with a character changed")]
    [InlineData("manage token cut short")]
    [InlineData("view token with a character changed")]
    [InlineData("manage token from another installation")]
    public async Task TokensForAnotherPageOrAlteredOpenNoLinkAndChangeNoSubscriber(string misuse)
    {
        await using var app = App(smtp);
        var client = app.CreateClient();
        var confirmation = await SubscribersWithPendingDigestsAsync(app, client);
        var links = app.Services.GetRequiredService<DigestLinks>();
        var digest = await app.WithDbAsync(db => db.Outbox.Where(m => m.Kind == "digest").MinAsync(m => m.Id));
        // The genuine tokens work, so a refusal below is the token's doing, not the setup's.
        Assert.Contains(await app.WithDbAsync(db => db.Subscriptions.Where(s => s.Id == 1).Select(s => s.Email).SingleAsync()),
            await client.GetStringAsync("/digest/preferences?token=" + Uri.EscapeDataString(links.ManageToken(1))));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/digest/view?token=" + Uri.EscapeDataString(links.ViewToken(digest)))).StatusCode);

        (string Token, LinkPage[] Pages) misused = misuse switch
        {
            "confirmation token" => (Token(Link(confirmation, "/digest/confirm")), [.. ManagePages, LinkPage.View]),
            // Same payload as subscriber 1's manage token ("1"), other purpose: read as a manage token it would name them.
            "view token naming subscriber 1" => (links.ViewToken(1), [.. ManagePages, LinkPage.Confirm]),
            "manage token naming a digest" => (links.ManageToken(digest), [LinkPage.View, LinkPage.Confirm]),
            "manage token with a character changed" => (Altered(links.ManageToken(1)), Enum.GetValues<LinkPage>()),
            "manage token cut short" => (links.ManageToken(1)[..^4], Enum.GetValues<LinkPage>()),
            "view token with a character changed" => (Altered(links.ViewToken(digest)), Enum.GetValues<LinkPage>()),
            "manage token from another installation" => (await ForeignManageTokenAsync(1), Enum.GetValues<LinkPage>()),
            _ => throw new ArgumentOutOfRangeException(nameof(misuse)),
        };
        foreach (var page in misused.Pages) await AssertRefusedAsync(client, page, misused.Token);
        await AssertNoSubscriberChangedAsync(app);
    }

    /// <summary>The pages a link in a mail opens, each as the mail (or the page's own form) uses it.</summary>
    public enum LinkPage { Confirm, Preferences, SavePreferences, Unsubscribe, OneClickUnsubscribe, View }

    static readonly LinkPage[] ManagePages = [LinkPage.Preferences, LinkPage.SavePreferences, LinkPage.Unsubscribe, LinkPage.OneClickUnsubscribe];

    static async Task AssertRefusedAsync(HttpClient client, LinkPage page, string? token)
    {
        var query = token is null ? "" : "?token=" + Uri.EscapeDataString(token);
        var response = page switch
        {
            LinkPage.Confirm => await client.GetAsync("/digest/confirm" + query),
            LinkPage.Preferences => await client.GetAsync("/digest/preferences" + query),
            LinkPage.SavePreferences => await client.PostAsync("/digest/preferences", new FormUrlEncodedContent(
                new Dictionary<string, string> { ["token"] = token ?? "", ["cadence"] = "weekly", ["count"] = "3", ["keywords"] = "forged" })),
            LinkPage.Unsubscribe => await client.GetAsync("/digest/unsubscribe" + query),
            LinkPage.OneClickUnsubscribe => await client.PostAsync("/digest/unsubscribe" + query, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")])),
            _ => await client.GetAsync("/digest/view" + query),
        };
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{page} with token {token ?? "(none)"}: {response.StatusCode}");
    }

    /// <summary>Three confirmed subscribers, ids 1 to 3, each with a digest composed and not sent yet; returns subscriber 1's confirmation mail.</summary>
    async Task<MimeMessage> SubscribersWithPendingDigestsAsync(AppFactory app, HttpClient client)
    {
        await app.ImportAsync("hf/2026-08-21.jsonl");
        var confirmations = new List<MimeMessage>();
        foreach (var name in new[] { "first", "second", "third" })
        {
            var email = Address(name);
            confirmations.Add(await SubscribeConfirmedAsync(client, smtp, new { email, cadence = "daily", count = 5 }, email));
        }
        Assert.Equal([1L, 2L, 3L], await app.WithDbAsync(db => db.Subscriptions.Where(s => s.Status == SubscriptionStatus.Confirmed).Select(s => s.Id).OrderBy(id => id).ToListAsync()));
        await using var scope = app.Services.CreateAsyncScope();
        Assert.Equal(3, await scope.ServiceProvider.GetRequiredService<DigestComposer>().ComposeAndStoreAsync(Cadence.Daily, DailyPapers.Feed.Period.Day(Day)));
        return confirmations[0];
    }

    static async Task AssertNoSubscriberChangedAsync(AppFactory app)
    {
        var subscribers = await app.WithDbAsync(db => db.Subscriptions.AsNoTracking().OrderBy(s => s.Id).ToListAsync());
        Assert.Equal(3, subscribers.Count);
        Assert.All(subscribers, s => Assert.Equal((SubscriptionStatus.Confirmed, Cadence.Daily, 5, 0), (s.Status, s.Cadence, s.Count, s.Preferences.Topics.Keywords.Count)));
        // The sender may have sent some of the digests meanwhile; none was cancelled by an unsubscribe.
        var digests = await app.WithDbAsync(db => db.Outbox.Where(m => m.Kind == "digest").Select(m => m.Status).ToListAsync());
        Assert.Equal(3, digests.Count);
        Assert.DoesNotContain(OutboxStatus.Cancelled, digests);
    }

    static string Token(string link) => Uri.UnescapeDataString(link.Split("token=")[1]);

    /// <summary>The token with one character in its middle replaced by another of the same alphabet.</summary>
    static string Altered(string token)
    {
        var i = token.Length / 2;
        return token[..i] + (token[i] == 'A' ? 'B' : 'A') + token[(i + 1)..];
    }

    static async Task<string> ForeignManageTokenAsync(long subscription)
    {
        await using var other = new AppFactory();
        _ = other.Server;
        return other.Services.GetRequiredService<DigestLinks>().ManageToken(subscription);
    }

    [Fact]
    public async Task AConfirmationLinkExpiresAndALinkForAnotherPurposeIsRefused()
    {
        var clock = new TestClock(DateTimeOffset.UtcNow);
        await using var app = App(smtp, clock);
        var client = app.CreateClient();
        var email = Address("late");
        await SubscribeAsync(client, new { email });
        var confirmation = await smtp.ReadAsync((await smtp.WaitForAsync(email))[0].Id);
        var link = Link(confirmation, "/digest/confirm");
        // A confirm token is not a manage token, though both are signed by the same keys.
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/digest/preferences?" + link.Split('?')[1])).StatusCode);
        clock.Now = clock.Now.AddDays(8);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync(link)).StatusCode);
        Assert.Equal(SubscriptionStatus.Pending, await app.WithDbAsync(db => db.Subscriptions.Select(s => s.Status).SingleAsync()));
    }

    [Fact]
    public async Task TheSubscribeFormIsOnEveryListPageAndWorksWithoutScript()
    {
        await using var app = App(smtp);
        await app.ImportAsync("hf/2026-08-21.jsonl");
        var client = app.CreateClient();
        foreach (var page in new[] { "/", "/papers?week=2026-W34", "/search?q=agents", "/papers/2608.19880" })
            Assert.Contains("action=\"/subscribe\"", await client.GetStringAsync(page));
        var email = Address("form");
        var browser = new DailyPapers.Tests.Community.Browser(app);
        var response = await browser.Client.PostAsync("/subscribe", new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = email, ["cadence"] = "weekly", ["back"] = "/papers?week=2026-W34" }));
        // Post/Redirect/Get to a page of its own (the list is the same for every reader), with the way back.
        Assert.True(DailyPapers.Tests.Community.Browser.IsRedirectTo(response, "/subscribe?back=%2Fpapers%3Fweek%3D2026-W34"));
        var answer = await browser.Client.GetStringAsync("/subscribe?back=%2Fpapers%3Fweek%3D2026-W34");
        Assert.Contains("a confirmation link is on its way", answer);
        Assert.Contains("href=\"/papers?week=2026-W34\"", answer);
        await smtp.WaitForAsync(email);
        var bad = await client.PostAsync("/subscribe", new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = "x\r\nBcc: y@z.org" }));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    static System.Text.RegularExpressions.Regex Regex(string pattern) => new(pattern);

    static void AssertInOrder(string text, string[] parts)
    {
        var at = -1;
        foreach (var part in parts)
        {
            var next = text.IndexOf(part, StringComparison.Ordinal);
            Assert.True(next > at, $"'{part}' is not after the previous item (at {next}, previous {at})");
            at = next;
        }
    }
}
