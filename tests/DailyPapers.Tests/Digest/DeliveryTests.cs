using DailyPapers.Digest;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DailyPapers.Tests.Digest;

/// <summary>What happens when the server says no, or nothing: retries with backoff, permanent refusals recorded.</summary>
public class DeliveryTests
{
    static readonly DateTimeOffset Start = new(2026, 8, 22, 6, 0, 0, TimeSpan.Zero);

    // Without the server's jobs: these tests send the outbox themselves and count what their own call sent; composing
    // wakes the digest job, which would otherwise take some of those mails first.
    static AppFactory App(int port, TestClock clock) => new AppFactory()
        .With("Mail:Host", "127.0.0.1").With("Mail:Port", port.ToString()).With("Mail:Security", "none")
        .With("Mail:MaxPerSecond", "0").With("Mail:TimeoutSeconds", "10").With("Digest:Schedule", "false")
        .WithServices(s => s.AddSingleton<TimeProvider>(clock)).WithoutJobs();

    /// <summary>A confirmed subscriber straight in the database: these tests are about sending, not subscribing.</summary>
    static async Task<long> SubscriberAsync(AppFactory app, string email)
    {
        return await app.WithDbAsync(async db =>
        {
            var s = new Subscription { Email = email, Status = SubscriptionStatus.Confirmed, Cadence = Cadence.Daily, Count = 5, CreatedAt = Start.UtcDateTime };
            db.Subscriptions.Add(s);
            await db.SaveChangesAsync();
            return s.Id;
        });
    }

    static async Task<SendReport> SendAsync(AppFactory app, bool compose = true)
    {
        await using var scope = app.Services.CreateAsyncScope();
        if (compose) await scope.ServiceProvider.GetRequiredService<DigestComposer>().ComposeAndStoreAsync(Cadence.Daily, DailyPapers.Feed.Period.Day(MailHarness.Day));
        return await scope.ServiceProvider.GetRequiredService<Outbox>().SendDueAsync();
    }

    [Fact]
    public async Task ATransientRefusalIsRetriedWithGrowingDelaysThenSent()
    {
        await using var smtp = new ScriptedSmtp { RcptReply = "451 4.3.0 try again later" };
        var clock = new TestClock(Start);
        await using var app = App(smtp.Port, clock);
        await app.ImportAsync("hf/2026-08-21.jsonl");
        await SubscriberAsync(app, "later@example.org");

        Assert.Equal(1, (await SendAsync(app)).Retrying);
        var row = await app.WithDbAsync(db => db.Outbox.AsNoTracking().SingleAsync());
        Assert.Equal((OutboxStatus.Pending, 1, Start.UtcDateTime.AddSeconds(30)), (row.Status, row.Attempts, row.NextAttemptAt));
        Assert.StartsWith("451", row.LastError);
        Assert.Equal(0, (await SendAsync(app, compose: false)).Retrying); // not due yet

        clock.Now = Start.AddSeconds(31);
        Assert.Equal(1, (await SendAsync(app, compose: false)).Retrying);
        row = await app.WithDbAsync(db => db.Outbox.AsNoTracking().SingleAsync());
        Assert.Equal((2, Start.UtcDateTime.AddSeconds(31 + 60)), (row.Attempts, row.NextAttemptAt));

        smtp.RcptReply = "250 OK";
        clock.Now = Start.AddSeconds(100);
        Assert.Equal(1, (await SendAsync(app)).Sent); // composing again adds nothing: still one digest
        Assert.Equal(1, smtp.Accepted);
        Assert.Equal(OutboxStatus.Sent, await app.WithDbAsync(db => db.Outbox.Select(m => m.Status).SingleAsync()));
    }

    [Fact]
    public async Task APermanentRefusalMarksTheSubscriptionAndStopsItsDigests()
    {
        await using var smtp = new ScriptedSmtp { RcptReply = "550 5.1.1 no such mailbox" };
        var clock = new TestClock(Start);
        await using var app = App(smtp.Port, clock);
        await app.ImportAsync("hf/2026-08-21.jsonl", "hf/week-2026-W34.jsonl");
        await SubscriberAsync(app, "gone@example.org");
        await SubscriberAsync(app, "fine@example.org");
        smtp.RcptReply = "550 5.1.1 no such mailbox";

        var report = await SendAsync(app);
        Assert.Equal(2, report.Failed);
        var refused = await app.WithDbAsync(db => db.Subscriptions.AsNoTracking().Where(s => s.Failure != null).CountAsync());
        Assert.Equal(2, refused);
        var failed = await app.WithDbAsync(db => db.Outbox.AsNoTracking().FirstAsync());
        Assert.Equal((OutboxStatus.Failed, 1), (failed.Status, failed.Attempts));
        Assert.Contains("550", failed.LastError);

        // A refused address gets no further digests; admins see it in `digest status`.
        await using var scope = app.Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<DigestComposer>().ComposeAndStoreAsync(Cadence.Daily, DailyPapers.Feed.Period.Day(MailHarness.Day.AddDays(-1))));
    }

    [Fact]
    public async Task AServerThatIsDownIsTransient()
    {
        int port;
        await using (var closed = new ScriptedSmtp()) port = closed.Port; // a port nobody listens on any more
        var clock = new TestClock(Start);
        await using var app = App(port, clock);
        await app.ImportAsync("hf/2026-08-21.jsonl");
        await SubscriberAsync(app, "patient@example.org");
        var report = await SendAsync(app);
        Assert.Equal((0, 1, 0), (report.Sent, report.Retrying, report.Failed));
        Assert.Null(await app.WithDbAsync(db => db.Subscriptions.Select(s => s.Failure).SingleAsync()));
    }

    [Fact]
    public async Task WithoutAServerMailsAreWrittenToTheOutboxFolder()
    {
        var clock = new TestClock(Start);
        await using var app = new AppFactory().With("Digest:Schedule", "false").With("Mail:MaxPerSecond", "0").WithServices(s => s.AddSingleton<TimeProvider>(clock)).WithoutJobs();
        await app.ImportAsync("hf/2026-08-21.jsonl");
        var id = await SubscriberAsync(app, "files@example.org");
        Assert.Equal(1, (await SendAsync(app)).Sent);
        var file = Assert.Single(Directory.GetFiles(Path.Combine(app.DataDir, "outbox"), "*.eml"));
        Assert.EndsWith($"digest-{id}-date-2026-08-21.eml", file);
        var mail = await MimeKit.MimeMessage.LoadAsync(file);
        Assert.Equal("files@example.org", mail.To.Mailboxes.Single().Address);
        Assert.Contains("EnvHarness", mail.TextBody);
    }
}
