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

    [Fact]
    public async Task ASenderPassesOverRowsAnotherSenderIsClaimingInsteadOfWaitingForThem()
    {
        // PostgreSQL's row locks; on SQLite a claim holds the one write lock and senders simply take turns.
        if (AppFactory.Postgres is null) return;
        var clock = new TestClock(new DateTimeOffset(2026, 8, 22, 6, 0, 0, TimeSpan.Zero));
        await using var app = MailHarness.App(smtp, clock).WithoutJobs();
        await app.ImportAsync("hf/2026-08-21.jsonl");
        var domain = $"passing-{Guid.NewGuid():N}.example.org";
        await app.WithDbAsync(async db =>
        {
            for (var i = 0; i < 20; i++)
                db.Subscriptions.Add(new Subscription { Email = $"reader{i:D3}@{domain}", Status = SubscriptionStatus.Confirmed, Cadence = Cadence.Daily, Count = 5, CreatedAt = clock.Now.UtcDateTime });
            return await db.SaveChangesAsync();
        });
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DigestComposer>().ComposeAndStoreAsync(Cadence.Daily, DailyPapers.Feed.Period.Day(MailHarness.Day));

        // Another sender in the middle of its claim: the first 5 rows locked by its open transaction.
        await using var other = new Npgsql.NpgsqlConnection(app.DatabaseSetting);
        await other.OpenAsync();
        await using var claiming = await other.BeginTransactionAsync();
        await using (var lockRows = new Npgsql.NpgsqlCommand("SELECT id FROM outbox ORDER BY id LIMIT 5 FOR UPDATE", other, claiming))
            await lockRows.ExecuteNonQueryAsync();

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var report = await scope.ServiceProvider.GetRequiredService<Outbox>().SendDueAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(15, report.Sent);
        }
        await claiming.RollbackAsync(); // that sender died before claiming: its rows are due again
        await using (var scope = app.Services.CreateAsyncScope())
            Assert.Equal(5, (await scope.ServiceProvider.GetRequiredService<Outbox>().SendDueAsync()).Sent);
        var received = (await smtp.MessagesAsync()).SelectMany(m => m.To).Where(to => to.EndsWith("@" + domain, StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Equal(20, received.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(20, received.Count);
    }
}
