using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using DailyPapers.Accounts;
using DailyPapers.Digest;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace DailyPapers.Tests.Trust;

/// <summary>
/// Issue 14: two instances of the hub, real processes, on one PostgreSQL database behind Debian's nginx on loopback
/// (TLS, the forwarded headers; README's "Running with PostgreSQL and several instances"). Load goes through nginx
/// to both; each test then checks what one instance did from the other: votes, sessions, mail, a crash.
/// In the smtp collection: the mail tests count what smtp4dev received, so nothing else sends meanwhile.
/// </summary>
[Collection("smtp")]
public partial class TwoInstancesTests(Smtp4dev smtp, ITestOutputHelper output)
{
    const string Password = "correct horse battery";

    /// <summary>Many readers upvote one paper at once, each twice, through nginx; then some withdraw.</summary>
    [PostgresFact]
    public async Task ConcurrentVotesThroughNginxCountExactlyOnBothInstances()
    {
        await using var hub = await Hub.StartAsync(output, ["--Digest:Schedule=false"], async db =>
        {
            await db.ImportAsync("hf/2026-08-21.jsonl");
        });
        var paper = await hub.Db.WithDbAsync(db => db.Papers.OrderBy(p => p.Id).Select(p => p.Id).FirstAsync());
        var tokens = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => TokenAsync(hub.Db, $"voter{i:D2}@example.org")));
        using var a = hub.A.Client();
        using var b = hub.B.Client();
        using var proxy = hub.Proxy.Client();
        // Both instances hold the paper in their shared cache before the votes.
        var before = await UpvotesAsync(a, paper);
        Assert.Equal(before, await UpvotesAsync(b, paper));
        Assert.Equal(before, await PageUpvotesAsync(a, paper));
        Assert.Equal(before, await PageUpvotesAsync(b, paper));

        // Every reader twice at once (the second is the same vote, maybe on the other instance), then a quarter withdraw.
        var answers = await Task.WhenAll(tokens.Concat(tokens).Select(t => VoteAsync(proxy, HttpMethod.Post, paper, t)));
        Assert.All(answers, r => Assert.Equal(HttpStatusCode.OK, r));
        var withdrawn = tokens.Take(10).ToList();
        Assert.All(await Task.WhenAll(withdrawn.Select(t => VoteAsync(proxy, HttpMethod.Delete, paper, t))), r => Assert.Equal(HttpStatusCode.OK, r));

        var expected = before + tokens.Length - withdrawn.Count;
        foreach (var client in new[] { a, b })
        {
            Assert.Equal(expected, await UpvotesAsync(client, paper));
            Assert.Equal(expected, await PageUpvotesAsync(client, paper));
        }
        Assert.Equal(expected, await UpvotesAsync(proxy, paper));
        Assert.Equal(tokens.Length - withdrawn.Count, await hub.Db.WithDbAsync(db => db.Votes.CountAsync(v => v.PaperId == paper)));
        hub.AssertBothServed();

        // One vote on one instance is on the other's next answer, its cached page included.
        Assert.Equal(HttpStatusCode.OK, await VoteAsync(a, HttpMethod.Post, paper, withdrawn[0]));
        Assert.Equal(expected + 1, await UpvotesAsync(b, paper));
        Assert.Equal(expected + 1, await PageUpvotesAsync(b, paper));
        Assert.Equal(HttpStatusCode.OK, await VoteAsync(b, HttpMethod.Delete, paper, withdrawn[0]));
        Assert.Equal(expected, await PageUpvotesAsync(a, paper));
    }

    /// <summary>A session made on one instance works on the other; signed out on that other, the first refuses it.</summary>
    [PostgresFact]
    public async Task ASessionFromOneInstanceWorksOnTheOtherAndEndsOnBoth()
    {
        await using var hub = await Hub.StartAsync(output, ["--Digest:Schedule=false"], async db =>
        {
            await using var scope = db.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AccountService>().SignUpAsync("ada@example.org", "Ada", Password);
        });
        using var a = hub.A.Client();
        using var b = hub.B.Client();
        using var proxy = hub.Proxy.Client();
        var browser = new Visitor();

        var signin = await browser.PostFormAsync(a, "/account/signin", new() { ["email"] = "ada@example.org", ["password"] = Password }, "/account/signin");
        Assert.Equal(HttpStatusCode.Redirect, signin.StatusCode);
        var cookie = browser.Cookies["dp_session"];
        Assert.Contains("secure", signin.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("dp_session=", StringComparison.Ordinal)), StringComparison.OrdinalIgnoreCase);

        // A copy of the cookie, as a second tab (or a thief) sends it: accepted by A, by B, and through nginx by both.
        Assert.True(await SignedInAsync(a, cookie));
        Assert.True(await SignedInAsync(b, cookie));
        for (var i = 0; i < 6; i++) Assert.True(await SignedInAsync(proxy, cookie));
        hub.AssertBothServed();

        // Signed out on B (its own form, its own antiforgery token): A refuses the cookie at once, and so does nginx.
        var signout = await browser.PostFormAsync(b, "/account/signout", [], "/account");
        Assert.Equal("/account/signin", signout.Headers.Location?.OriginalString);
        Assert.False(await SignedInAsync(a, cookie));
        Assert.False(await SignedInAsync(b, cookie));
        for (var i = 0; i < 6; i++) Assert.False(await SignedInAsync(proxy, cookie));
    }

    /// <summary>
    /// Both servers find the day's digests due at once and send the outbox, and two `digest send` runs against the
    /// same database join them: each subscriber gets one mail. Paced at 40 a second, so a sender that starts late
    /// may still find work; which ones overlap depends on the machine (the output says who sent what), and
    /// Digest/SendersTests makes four senders contend in process.
    /// </summary>
    [PostgresFact]
    public async Task EachDigestIsSentOnceWhenBothInstancesSend()
    {
        const int subscribers = 200;
        var domain = $"both-{Guid.NewGuid():N}.example.org";
        var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        var baseline = await smtp.CountAsync();
        await using var hub = await Hub.StartAsync(output, [.. Mail(), "--Mail:MaxPerSecond=40", "--Digest:Schedule=true", "--Digest:SendAt=00:00", "--Digest:TimeZone=UTC"],
            db => SubscribersAsync(db, yesterday, subscribers, domain));
        var commands = await Task.WhenAll(new[] { hub.A, hub.B }.Select(i => Cli.RunAsync(
            ["digest", "send", "--date", yesterday.ToString("yyyy-MM-dd"), "--cadence", "daily", "--data", i.DataDir, .. hub.Settings,
                $"--Mail:From=Command {i.Name} <command-{i.Name.ToLowerInvariant()}@dailypapers.test>"])));
        Assert.All(commands, c => Assert.True(c.Exit == 0, c.Err + c.Out));

        var mails = await Eventually.Until(() => MineAsync(domain), m => m.Count >= subscribers, $"{subscribers} digests", TimeSpan.FromMinutes(2), m => m.Count);
        // Anything sent twice would arrive right behind the first copies: the outbox is settled before counting again.
        await Eventually.Until(() => hub.Db.WithDbAsync(db => db.Outbox.CountAsync(m => m.Kind == "digest" && m.Status != OutboxStatus.Sent)), n => n == 0, "every digest marked sent");
        mails = await MineAsync(domain);
        output.WriteLine($"{mails.Count} mails for {subscribers} subscribers; smtp4dev received {await smtp.CountAsync() - baseline} in all; from: " +
                         string.Join(", ", mails.GroupBy(m => m.From).Select(g => $"{g.Key} {g.Count()}")));
        Assert.Equal(subscribers, mails.Select(m => m.To.Single()).Distinct().Count());
        Assert.Equal(subscribers, mails.Count);
        Assert.Equal(subscribers, await hub.Db.WithDbAsync(db => db.Outbox.CountAsync(m => m.Kind == "digest")));
        Assert.Equal(1, await hub.Db.WithDbAsync(db => db.DigestRuns.CountAsync(r => r.Cadence == Cadence.Daily)));
    }

    /// <summary>
    /// The instance sending the digests is killed (SIGKILL) midway; the other, after the lease of the claimed
    /// messages runs out, sends the rest. nginx meanwhile sends every reader to the one alive.
    /// </summary>
    [PostgresFact]
    public async Task ADigestRunKilledOnOneInstanceIsFinishedByTheOther()
    {
        const int subscribers = 20;
        var domain = $"crash-{Guid.NewGuid():N}.example.org";
        var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        // Slow enough to be killed midway (2 a second); the claim's lease outlives the batch (20 in 10 s) while the sender lives.
        await using var hub = await Hub.StartAsync(output, [.. Mail(), "--Mail:MaxPerSecond=2", "--Mail:LeaseSeconds=20",
                "--Digest:Schedule=true", "--Digest:SendAt=00:00", "--Digest:TimeZone=UTC"],
            db => SubscribersAsync(db, yesterday, subscribers, domain));

        var first = await Eventually.Until(() => MineAsync(domain), m => m.Count >= 3, "the first digests", TimeSpan.FromMinutes(2), m => m.Count);
        var sender = first.Select(m => m.From).Distinct().Single();
        var (victim, survivor) = sender.Contains(Hub.Sender(hub.A), StringComparison.Ordinal) ? (hub.A, hub.B) : (hub.B, hub.A);
        Assert.Contains(Hub.Sender(victim), sender);
        await victim.KillAsync();
        var atKill = (await MineAsync(domain)).Count;
        Assert.True(atKill < subscribers, $"the sender finished ({atKill} mails) before it could be killed");

        using var proxy = hub.Proxy.Client();
        for (var i = 0; i < 6; i++) Assert.Equal(HttpStatusCode.OK, (await proxy.GetAsync("/healthz")).StatusCode);

        var mails = await Eventually.Until(() => MineAsync(domain), m => m.Select(x => x.To.Single()).Distinct().Count() == subscribers,
            "every subscriber's digest", TimeSpan.FromMinutes(3), m => $"{m.Count} mails\n{survivor.Log()}");
        await Eventually.Until(() => hub.Db.WithDbAsync(db => db.Outbox.CountAsync(m => m.Kind == "digest" && m.Status != OutboxStatus.Sent)), n => n == 0, "every digest marked sent");
        mails = await MineAsync(domain);
        var duplicates = mails.Count - subscribers;
        output.WriteLine($"{victim.Name} killed after {atKill} mails; {survivor.Name} sent {mails.Count(m => m.From.Contains(Hub.Sender(survivor), StringComparison.Ordinal))}; {duplicates} duplicates");
        Assert.Contains(mails, m => m.From.Contains(Hub.Sender(survivor), StringComparison.Ordinal));
        // At most the one message the server had accepted when the sender died, before "sent" was recorded; it
        // carries the same Message-ID, so mail clients show it once.
        Assert.InRange(duplicates, 0, 1);
        foreach (var twice in mails.GroupBy(m => m.To.Single()).Where(g => g.Count() > 1))
            Assert.Single((await Task.WhenAll(twice.Select(async m => (await smtp.ReadAsync(m.Id)).MessageId))).Distinct());
    }

    /// <summary>
    /// Each instance keeps its own keyword index, fed from the shared database: a paper a moderator hides through one
    /// instance is gone from search on both, and a paper imported meanwhile is found on both.
    /// </summary>
    [PostgresFact]
    public async Task SearchOnEitherInstanceFollowsWritesMadeThroughTheOther()
    {
        await using var hub = await Hub.StartAsync(output, ["--Digest:Schedule=false"], db => db.ImportAsync("hf/2026-08-21.jsonl"));
        var paper = await hub.Db.WithDbAsync(db => db.Papers.OrderBy(p => p.Id).Select(p => new { p.Id, p.Title }).FirstAsync());
        var moderator = await TokenAsync(hub.Db, "moderator@example.org", Roles.Moderator);
        using var a = hub.A.Client();
        using var b = hub.B.Client();
        Assert.Contains(paper.Id, await FoundAsync(a, paper.Title));
        Assert.Contains(paper.Id, await FoundAsync(b, paper.Title));

        var hide = new HttpRequestMessage(HttpMethod.Post, $"/api/papers/{paper.Id}/hide");
        hide.Headers.Authorization = new("Bearer", moderator);
        Assert.Equal(HttpStatusCode.NoContent, (await a.SendAsync(hide)).StatusCode);
        var input = Some.File(Some.HfEntry("2611.04242", "2026-08-21", title: "Quokkas count votes across instances"));
        var import = await Cli.RunAsync(["import", input, "--no-embed", "--data", Directory.CreateTempSubdirectory("dailypapers-import-").FullName, $"--Database={hub.Db.DatabaseSetting}"]);
        Assert.True(import.Exit == 0, import.Err + import.Out);

        // Each instance asked twice, the second time after the other has searched (and applied what waited) too.
        var wrong = new List<string>();
        foreach (var (name, client) in new[] { ("A", a), ("B", b), ("A", a), ("B", b) })
        {
            if ((await FoundAsync(client, paper.Title)).Contains(paper.Id)) wrong.Add($"{name} still finds the hidden {paper.Id}");
            if (!(await FoundAsync(client, "quokkas count votes")).Contains("2611.04242")) wrong.Add($"{name} does not find the imported 2611.04242");
        }
        Assert.Empty(wrong);
    }

    static async Task<List<string>> FoundAsync(HttpClient client, string query) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/papers/search?mode=keyword&limit=50&q={Uri.EscapeDataString(query)}"))
        .EnumerateArray().Select(r => r.GetProperty("paper").GetProperty("id").GetString()!).ToList();

    string[] Mail() => ["--Mail:Host=127.0.0.1", $"--Mail:Port={smtp.SmtpPort}", "--Mail:Security=none"];

    async Task<List<Smtp4dev.Message>> MineAsync(string domain) =>
        (await smtp.MessagesAsync()).Where(m => m.To.Any(a => a.EndsWith("@" + domain, StringComparison.Ordinal))).ToList();

    /// <summary>Ten papers featured on a day, and confirmed daily subscribers of the digest.</summary>
    static async Task SubscribersAsync(AppFactory app, DateOnly day, int count, string domain)
    {
        var date = day.ToString("yyyy-MM-dd");
        await app.ImportAsync(Some.File([.. Enumerable.Range(1, 10).Select(i => Some.HfEntry($"2611.{i:D5}", date, upvotes: i, title: $"Paper {i} of {date}"))]));
        await app.WithDbAsync(async db =>
        {
            var now = DateTime.UtcNow;
            for (var i = 0; i < count; i++)
                db.Subscriptions.Add(new Subscription { Email = $"reader{i:D4}@{domain}", Status = SubscriptionStatus.Confirmed, Cadence = Cadence.Daily, Count = 5, CreatedAt = now, ConfirmedAt = now });
            return await db.SaveChangesAsync();
        });
    }

    static async Task<string> TokenAsync(AppFactory app, string email, string? role = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var user = await accounts.SignUpAsync(email, email.Split('@')[0], Password, role);
        return (await accounts.CreateTokenAsync(user!, "votes")).Secret;
    }

    static async Task<HttpStatusCode> VoteAsync(HttpClient client, HttpMethod method, string paper, string token)
    {
        var request = new HttpRequestMessage(method, $"/api/papers/{paper}/upvote");
        request.Headers.Authorization = new("Bearer", token);
        return (await client.SendAsync(request)).StatusCode;
    }

    /// <summary>The count an anonymous reader sees, from the shared cache when the instance holds a copy.</summary>
    static async Task<int> UpvotesAsync(HttpClient client, string paper) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/papers/{paper}")).GetProperty("upvotes").GetInt32();

    static async Task<int> PageUpvotesAsync(HttpClient client, string paper)
    {
        var html = await client.GetStringAsync($"/papers/{paper}");
        return int.Parse(UpvoteLabel().Match(html).Groups[1].Value);
    }

    [GeneratedRegex("aria-label=\"Upvote: (\\d+) upvotes\"")]
    private static partial Regex UpvoteLabel();

    /// <summary>True when the account page opens with this session cookie (a refused one is sent to sign in).</summary>
    static async Task<bool> SignedInAsync(HttpClient client, string session)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/account");
        request.Headers.Add("Cookie", $"dp_session={session}");
        var response = await client.SendAsync(request);
        return response.StatusCode == HttpStatusCode.OK;
    }

    /// <summary>
    /// A browser whose requests may go to any instance: its cookies kept by hand, since the session cookie is Secure
    /// and an instance is reached over plain HTTP behind the proxy (a cookie jar would hold it back).
    /// </summary>
    sealed partial class Visitor
    {
        public Dictionary<string, string> Cookies { get; } = [];

        public async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request)
        {
            if (Cookies.Count > 0) request.Headers.Add("Cookie", string.Join("; ", Cookies.Select(c => $"{c.Key}={c.Value}")));
            var response = await client.SendAsync(request);
            foreach (var set in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
            {
                var (name, value) = (set.Split(';')[0].Split('=', 2)[0], set.Split(';')[0].Split('=', 2)[1]);
                if (value.Length == 0 || set.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase)) Cookies.Remove(name);
                else Cookies[name] = value;
            }
            return response;
        }

        /// <summary>Posts a form with the antiforgery token of the page it is on, both from the same instance.</summary>
        public async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string url, Dictionary<string, string> fields, string page)
        {
            var html = await (await SendAsync(client, new HttpRequestMessage(HttpMethod.Get, page))).Content.ReadAsStringAsync();
            fields["__RequestVerificationToken"] = TokenPattern().Match(html).Groups[1].Value;
            return await SendAsync(client, new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) });
        }

        [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
        private static partial Regex TokenPattern();
    }

    /// <summary>
    /// The database (made fresh, reached in-process without jobs to seed and check it), instances A and B started
    /// on it as real processes with the same settings, and nginx in front of both.
    /// </summary>
    sealed class Hub : IAsyncDisposable
    {
        public required AppFactory Db { get; init; }
        public required Instance A { get; init; }
        public required Instance B { get; init; }
        public required Nginx Proxy { get; init; }
        /// <summary>What both instances were started with: the database, the public address, the test's own settings.</summary>
        public required string[] Settings { get; init; }
        ITestOutputHelper? output;

        public static async Task<Hub> StartAsync(ITestOutputHelper output, string[] settings, Func<AppFactory, Task> seed)
        {
            var db = new AppFactory().WithoutJobs();
            (Instance? a, Instance? b) = (null, null);
            try
            {
                _ = db.Services; // creates the database and its schema
                await seed(db);
                var port = Nginx.FreePort();
                string[] shared = [$"--Database={db.DatabaseSetting}", $"--PublicUrl=https://127.0.0.1:{port}", "--Search:BackgroundEmbedding=false", .. settings];
                Instance Start(string name) => Instance.Start(name, [.. shared, $"--Mail:From=Instance {name} <{Sender(name)}>"]);
                (a, b) = (Start("A"), Start("B"));
                await Task.WhenAll(a.ReadyAsync(), b.ReadyAsync());
                return new Hub { Db = db, A = a, B = b, Proxy = await Nginx.StartAsync(port, [a.Port, b.Port]), Settings = shared, output = output };
            }
            catch
            {
                // No server outlives a test that could not start them all.
                if (a is not null) await a.DisposeAsync();
                if (b is not null) await b.DisposeAsync();
                await db.DisposeAsync();
                throw;
            }
        }

        /// <summary>The sender address an instance's mail carries (Mail:From), so a test can tell which one sent what.</summary>
        public static string Sender(Instance i) => Sender(i.Name);
        static string Sender(string name) => $"instance-{name.ToLowerInvariant()}@dailypapers.test";

        /// <summary>nginx's access log shows requests answered by each instance.</summary>
        public void AssertBothServed()
        {
            var served = Proxy.Upstreams();
            output?.WriteLine($"through nginx: {served.Count(u => u == A.Address)} answered by A, {served.Count(u => u == B.Address)} by B");
            Assert.Contains(A.Address, served);
            Assert.Contains(B.Address, served);
        }

        public async ValueTask DisposeAsync()
        {
            output?.WriteLine($"--- A\n{A.Log()}\n--- B\n{B.Log()}\n--- nginx\n{Proxy.Log()}");
            await Proxy.DisposeAsync();
            await A.DisposeAsync();
            await B.DisposeAsync();
            await Db.DisposeAsync();
        }
    }
}
