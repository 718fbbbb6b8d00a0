using System.Net;
using DailyPapers.Data;
using DailyPapers.Digest;
using DailyPapers.Tests.Community;
using DailyPapers.Tests.Digest;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace DailyPapers.Tests.Trust;

/// <summary>
/// Several instances on one database (issue 14): two apps, each with its own data folder, on one SQLite file or one
/// PostgreSQL database (AppFactory.Sibling). What one signs the other accepts, what one revokes the other refuses, a
/// scheduled job runs on the instance holding its lease, and instances starting at once apply the schema once.
/// </summary>
public class InstancesTests
{
    static readonly DateTimeOffset Start = new(2026, 8, 22, 6, 0, 0, TimeSpan.Zero);

    /// <summary>The copied session cookie, sent to an app: true when it opens the account page there.</summary>
    static async Task<bool> OpensAccountAsync(AppFactory app, string cookie)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = false });
        var request = new HttpRequestMessage(HttpMethod.Get, "/account");
        request.Headers.Add("Cookie", cookie);
        return (await client.SendAsync(request)).StatusCode == HttpStatusCode.OK;
    }

    static async Task<(Browser Browser, string Cookie)> SignedInAsync(AppFactory app, string email)
    {
        var browser = new Browser(app);
        var signin = await browser.SignInAsync(email);
        Assert.True(Browser.IsRedirectTo(signin, "/account"), signin.StatusCode.ToString());
        return (browser, signin.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("dp_session=", StringComparison.Ordinal)).Split(';')[0]);
    }

    static async Task<long> SubscriberAsync(AppFactory app, string email) => await app.WithDbAsync(async db =>
    {
        var s = new Subscription { Email = email, Status = SubscriptionStatus.Confirmed, Cadence = Cadence.Daily, Count = 5, CreatedAt = Start.UtcDateTime };
        db.Subscriptions.Add(s);
        await db.SaveChangesAsync();
        return s.Id;
    });

    static string ManageLink(AppFactory app, long subscription) =>
        "/digest/unsubscribe?token=" + Uri.EscapeDataString(app.Services.GetRequiredService<DigestLinks>().ManageToken(subscription));

    [Fact]
    public async Task ACookieAndAMailLinkMadeByOneInstanceWorkOnAnother()
    {
        await using var first = new AppFactory().With("Digest:Schedule", "false");
        await new Browser(first).SignUpAsync("ada@example.org");
        var (_, cookie) = await SignedInAsync(first, "ada@example.org");
        var subscription = await SubscriberAsync(first, "reader@example.org");
        var link = ManageLink(first, subscription);

        await using var second = first.Sibling().With("Digest:Schedule", "false");
        Assert.NotEqual(first.DataDir, second.DataDir);
        Assert.True(await OpensAccountAsync(second, cookie));
        var page = await second.CreateClient().GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("reader@example.org", await page.Content.ReadAsStringAsync());
        // And the other way round: what the second signs, the first reads.
        Assert.Equal(HttpStatusCode.OK, (await first.CreateClient().GetAsync(ManageLink(second, subscription))).StatusCode);
        Assert.False(Directory.Exists(Path.Combine(second.DataDir, "keys")) && Directory.EnumerateFiles(Path.Combine(second.DataDir, "keys")).Any());
    }

    [Fact]
    public async Task ASessionEndedOnOneInstanceIsRefusedByTheOtherAtItsNextRequest()
    {
        await using var first = new AppFactory().With("Digest:Schedule", "false");
        await new Browser(first).SignUpAsync("ada@example.org");
        await using var second = first.Sibling().With("Digest:Schedule", "false");

        var (laptop, laptopCookie) = await SignedInAsync(first, "ada@example.org");
        Assert.True(await OpensAccountAsync(second, laptopCookie));
        Assert.True(Browser.IsRedirectTo(await laptop.PostAsync("/account/signout", [], "/account"), "/account/signin"));
        Assert.False(await OpensAccountAsync(second, laptopCookie));

        // Signed in through the second, ended everywhere through the first.
        var (_, phoneCookie) = await SignedInAsync(second, "ada@example.org");
        var (desk, deskCookie) = await SignedInAsync(first, "ada@example.org");
        Assert.True(await OpensAccountAsync(second, phoneCookie));
        Assert.True(await OpensAccountAsync(second, deskCookie));
        Assert.True(Browser.IsRedirectTo(await desk.PostAsync("/account/signout-everywhere", [], "/account"), "/account/signin"));
        Assert.False(await OpensAccountAsync(second, phoneCookie));
        Assert.False(await OpensAccountAsync(second, deskCookie));
    }

    [Fact]
    public async Task KeysAnOlderVersionKeptInTheDataFolderStillOpenItsCookiesAndLinks()
    {
        // The old code: keys as files in {DataDir}/keys.
        var before = new AppFactory().With("Digest:Schedule", "false");
        await using var _ = before;
        var folder = Path.Combine(before.DataDir, "keys");
        before.WithServices(s => s.Configure<KeyManagementOptions>(k => k.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(folder), NullLoggerFactory.Instance)));
        await new Browser(before).SignUpAsync("ada@example.org");
        var (_, cookie) = await SignedInAsync(before, "ada@example.org");
        var link = ManageLink(before, await SubscriberAsync(before, "reader@example.org"));
        var files = Directory.GetFiles(folder, "*.xml").Select(f => Path.GetFileNameWithoutExtension(f)).ToHashSet();
        Assert.NotEmpty(files);
        Assert.Equal(0, await before.WithDbAsync(db => db.DataProtectionKeys.CountAsync()));

        // The upgraded app on the same data, its keys folder as the old version left it.
        await using var after = before.Sibling().With("Digest:Schedule", "false");
        Directory.CreateDirectory(Path.Combine(after.DataDir, "keys"));
        foreach (var file in Directory.GetFiles(folder)) File.Copy(file, Path.Combine(after.DataDir, "keys", Path.GetFileName(file)));
        Assert.True(await OpensAccountAsync(after, cookie));
        Assert.Equal(HttpStatusCode.OK, (await after.CreateClient().GetAsync(link)).StatusCode);
        var stored = await after.WithDbAsync(db => db.DataProtectionKeys.Select(k => k.Name).ToListAsync());
        Assert.Subset(stored.ToHashSet(), files);

        // Imported once for all: a third instance with no keys folder reads them from the database.
        await using var third = before.Sibling().With("Digest:Schedule", "false");
        Assert.True(await OpensAccountAsync(third, cookie));
    }

    [Fact]
    public void TheLeaseRuleTakesAnExpiredLeaseOrOneHeldByTheTaker()
    {
        var now = Start.UtcDateTime;
        var rule = JobLease.TakeableBy("b", now).Compile();
        Assert.True(rule(new JobLease { Holder = "a", ExpiresAt = now }));
        Assert.True(rule(new JobLease { Holder = "a", ExpiresAt = now.AddSeconds(-1) }));
        Assert.False(rule(new JobLease { Holder = "a", ExpiresAt = now.AddTicks(1) }));
        Assert.True(rule(new JobLease { Holder = "b", ExpiresAt = now.AddMinutes(5) }));
        Assert.True(rule(new JobLease { Holder = "", ExpiresAt = now }));
    }

    /// <summary>
    /// A job's first lease is taken at any clock reading, not only at whole microseconds: times are stored to the
    /// microsecond, and a row written "expired now" by a raw INSERT at a tenth of a microsecond past it was later than
    /// the UPDATE's now on SQLite (compared as text), so every leased job skipped its first run after a start.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(9_999_999)]
    public async Task AJobsFirstLeaseIsTakenWhateverTheTicksOfTheClock(long ticks)
    {
        var clock = new TestClock(Start.AddTicks(ticks));
        await using var app = new AppFactory().WithoutJobs().WithServices(s => s.AddSingleton<TimeProvider>(clock));
        var leases = app.Services.GetRequiredService<JobLeases>();
        Assert.True(await leases.TryTakeAsync("MediaJob"));
        await leases.ReleaseAsync("MediaJob");
        Assert.True(await leases.TryTakeAsync("MediaJob"));
    }

    [Fact]
    public async Task AJobLeaseIsHeldByOneInstanceUntilItIsGivenBackOrExpires()
    {
        var clock = new TestClock(Start);
        await using var first = new AppFactory().With("Jobs:LeaseSeconds", "120").WithoutJobs().WithServices(s => s.AddSingleton<TimeProvider>(clock));
        await using var second = first.Sibling().With("Jobs:LeaseSeconds", "120").WithoutJobs().WithServices(s => s.AddSingleton<TimeProvider>(clock));
        var (a, b) = (first.Services.GetRequiredService<JobLeases>(), second.Services.GetRequiredService<JobLeases>());
        Assert.NotEqual(a.Holder, b.Holder);

        Assert.True(await a.TryTakeAsync("TrendingJob"));
        Assert.False(await b.TryTakeAsync("TrendingJob"));
        Assert.True(await b.TryTakeAsync("NotifyJob")); // one lease per job
        clock.Now = Start.AddSeconds(100);
        Assert.True(await a.TryTakeAsync("TrendingJob")); // renewed: now until 100 + 120 s
        clock.Now = Start.AddSeconds(200);
        Assert.False(await b.TryTakeAsync("TrendingJob"));

        // The holder crashed (it renews no more): once the lease runs out, the other instance takes the job.
        clock.Now = Start.AddSeconds(220);
        Assert.True(await b.TryTakeAsync("TrendingJob"));
        Assert.False(await a.TryTakeAsync("TrendingJob"));
        var row = await first.WithDbAsync(db => db.JobLeases.AsNoTracking().SingleAsync(l => l.Name == "TrendingJob"));
        Assert.Equal((b.Holder, Start.UtcDateTime.AddSeconds(340)), (row.Holder, row.ExpiresAt));

        // Given back, it is free at once; giving back a lease one does not hold changes nothing.
        await a.ReleaseAsync("TrendingJob");
        Assert.False(await a.TryTakeAsync("TrendingJob"));
        await b.ReleaseAsync("TrendingJob");
        Assert.True(await a.TryTakeAsync("TrendingJob"));
    }

    [Fact]
    public async Task AJobRunsOnOneInstanceAtATime()
    {
        await using var first = new AppFactory().WithoutJobs();
        await using var second = first.Sibling().WithoutJobs();
        var (a, b) = (first.Services.GetRequiredService<JobLeases>(), second.Services.GetRequiredService<JobLeases>());
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = 0;

        var onFirst = a.RunAsync("TrendingJob", async _ => { Interlocked.Increment(ref runs); running.SetResult(); await finish.Task; }, CancellationToken.None);
        await running.Task;
        Assert.False(await b.RunAsync("TrendingJob", _ => { Interlocked.Increment(ref runs); return Task.CompletedTask; }, CancellationToken.None));
        finish.SetResult();
        Assert.True(await onFirst);
        Assert.Equal(1, runs);
        // Given back at the end: the next run may be anywhere.
        Assert.True(await b.RunAsync("TrendingJob", _ => { Interlocked.Increment(ref runs); return Task.CompletedTask; }, CancellationToken.None));
        Assert.Equal(2, runs);
    }

    [Fact]
    public async Task TheServersHourlyJobsTakeTheirLeaseAndSkipARunAnotherInstanceHolds()
    {
        var clock = new TestClock(Start);
        await using var first = new AppFactory().WithoutJobs().WithServices(s => s.AddSingleton<TimeProvider>(clock));
        var holder = first.Services.GetRequiredService<JobLeases>();
        Assert.True(await holder.TryTakeAsync("TrendingJob"));

        // The second instance runs its jobs at start: NotifyJob takes its lease and gives it back; TrendingJob's is
        // held by the first, so it does not run there.
        await using var second = first.Sibling().With("Digest:Schedule", "false").WithServices(s => s.AddSingleton<TimeProvider>(clock));
        var other = second.Services.GetRequiredService<JobLeases>().Holder;
        // Waited for until taken by the second instance and given back: the row is first written free (no holder,
        // expired now), then held for 300 s while the job runs, then given back, and a check at either earlier step
        // failed (holder "", or expiry 06:05). A lease never taken, or never given back, still fails.
        var notify = await Eventually.Until(() => first.WithDbAsync(db => db.JobLeases.AsNoTracking().Where(l => l.Name == "NotifyJob").ToListAsync()),
            rows => rows.Count == 1 && rows[0].Holder == other && rows[0].ExpiresAt == Start.UtcDateTime, "NotifyJob's lease taken by the second instance and given back");
        Assert.Equal((other, Start.UtcDateTime), (notify[0].Holder, notify[0].ExpiresAt));
        var trending = await first.WithDbAsync(db => db.JobLeases.AsNoTracking().SingleAsync(l => l.Name == "TrendingJob"));
        Assert.Equal((holder.Holder, Start.UtcDateTime.AddSeconds(300)), (trending.Holder, trending.ExpiresAt));
    }

    [Fact]
    public async Task InstancesStartingAtOnceOnAnEmptyDatabaseApplyTheSchemaOnce()
    {
        await using var first = new AppFactory().WithoutJobs();
        await using var second = first.Sibling().WithoutJobs();
        await using var third = first.Sibling().WithoutJobs();
        await Task.WhenAll(new[] { first, second, third }.Select(app => Task.Run(() => app.Services)));
        var applied = await first.WithDbAsync(db => db.Database.SqlQueryRaw<string>("SELECT version AS \"Value\" FROM schema_migrations").ToListAsync());
        Assert.Equal(Schema.All, applied.Order(StringComparer.Ordinal));
        foreach (var app in new[] { second, third })
            Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync("/api/daily_papers")).StatusCode);
    }
}
