using DailyPapers.Digest;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DailyPapers.Tests.Digest;

/// <summary>The server's own schedule: at the send time, each cadence's due digest goes out once.</summary>
[Collection("smtp")]
public class DigestJobTests(Smtp4dev smtp)
{
    [Fact]
    public async Task AtTheSendTimeTheServerComposesAndSendsOnce()
    {
        // Saturday 2026-08-22, 06:00 in Paris (04:00 UTC): before the 07:00 send time.
        var clock = new TestClock(new DateTimeOffset(2026, 8, 22, 4, 0, 0, TimeSpan.Zero));
        await using var app = MailHarness.App(smtp, clock).With("Digest:Schedule", "true").With("Digest:TimeZone", "Europe/Paris");
        await app.ImportAsync("hf/2026-08-21.jsonl");
        var (daily, weekdays) = (MailHarness.Address("daily"), MailHarness.Address("weekdays"));
        await app.WithDbAsync(async db =>
        {
            db.Subscriptions.Add(new Subscription { Email = daily, Status = SubscriptionStatus.Confirmed, Cadence = Cadence.Daily, Count = 3, CreatedAt = clock.Now.UtcDateTime });
            db.Subscriptions.Add(new Subscription { Email = weekdays, Status = SubscriptionStatus.Confirmed, Cadence = Cadence.Weekdays, Count = 3, CreatedAt = clock.Now.UtcDateTime });
            return await db.SaveChangesAsync();
        });
        await TickAsync(app);
        Assert.Equal((0, 0), (await app.WithDbAsync(db => db.Outbox.CountAsync()), await app.WithDbAsync(db => db.DigestRuns.CountAsync())));

        clock.Now = clock.Now.AddHours(1.5); // 07:30 in Paris
        await TickAsync(app);
        var mail = await smtp.WaitForAsync(daily);
        Assert.Equal("DailyPapers: 3 papers, Friday, 21 August 2026", mail.Single().Subject);
        // Saturday: the weekdays cadence has nothing due; and the run is recorded, so a later tick adds nothing.
        await TickAsync(app);
        Assert.Equal(1, await app.WithDbAsync(db => db.Outbox.CountAsync()));
        Assert.Equal(1, await app.WithDbAsync(db => db.DigestRuns.CountAsync(r => r.Period == "date=2026-08-21")));
        Assert.Empty(await smtp.MessagesAsync(weekdays));
    }

    /// <summary>Wakes the server's digest job and waits until a tick that began after the wake-up has done its work.</summary>
    static async Task TickAsync(AppFactory app)
    {
        var job = app.Services.GetServices<IHostedService>().OfType<DigestJob>().Single();
        var ticked = job.NextTickAsync();
        app.Services.GetRequiredService<OutboxSignal>().Wake();
        try { await ticked.WaitAsync(Eventually.Patience); }
        catch (TimeoutException) { throw new TimeoutException($"the digest job ran no tick within {Eventually.Patience.TotalSeconds:0} s of being woken"); }
    }
}
