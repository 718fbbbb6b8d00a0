using DailyPapers.Digest;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DailyPapers.Tests.Digest;

/// <summary>
/// Several senders on one outbox (issue 14): two instances on one database, each with two senders, drain the same
/// outbox at once into a real SMTP server, and every message arrives exactly once. They share one clock, so two
/// claims in the same instant cannot tell their rows apart by claim time: only the claim itself keeps them apart
/// (FOR UPDATE SKIP LOCKED on PostgreSQL, the write lock on SQLite).
/// </summary>
[Collection("smtp")]
public class SendersTests(Smtp4dev smtp)
{
    const int Subscribers = 150;

    [Fact]
    public async Task SendersOnTwoInstancesDeliverEachMessageExactlyOnce()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 8, 22, 6, 0, 0, TimeSpan.Zero));
        await using var first = MailHarness.App(smtp, clock).WithoutJobs();
        await using var second = MailHarness.App(smtp, clock).With("Database", first.DatabaseSetting).WithoutJobs();
        await first.ImportAsync("hf/2026-08-21.jsonl");
        var domain = $"senders-{Guid.NewGuid():N}.example.org";
        await first.WithDbAsync(async db =>
        {
            for (var i = 0; i < Subscribers; i++)
                db.Subscriptions.Add(new Subscription { Email = $"reader{i:D3}@{domain}", Status = SubscriptionStatus.Confirmed, Cadence = Cadence.Daily, Count = 5, CreatedAt = clock.Now.UtcDateTime });
            return await db.SaveChangesAsync();
        });
        await using (var scope = first.Services.CreateAsyncScope())
            Assert.Equal(Subscribers, await scope.ServiceProvider.GetRequiredService<DigestComposer>().ComposeAndStoreAsync(Cadence.Daily, DailyPapers.Feed.Period.Day(MailHarness.Day)));

        var reports = await Task.WhenAll(new[] { first, first, second, second }.Select(app => Task.Run(async () =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<Outbox>().SendDueAsync();
        })));

        Assert.Equal(Subscribers, reports.Sum(r => r.Sent));
        Assert.All(reports, r => Assert.Equal((0, 0, 0), (r.Retrying, r.Failed, r.Cancelled)));
        Assert.Equal(Subscribers, await first.WithDbAsync(db => db.Outbox.CountAsync(m => m.Status == OutboxStatus.Sent)));
        var received = (await smtp.MessagesAsync()).SelectMany(m => m.To).Where(to => to.EndsWith("@" + domain, StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Equal(Subscribers, received.Count);
        Assert.Equal(Subscribers, received.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }
}
