using DailyPapers.Data;
using DailyPapers.Digest;
using DailyPapers.Feed;
using DailyPapers.Follows;
using DailyPapers.Search;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Notifications;

/// <summary>
/// "New papers from what you follow": for each account that follows something, the days featured since it was last
/// told, matched by the digest's picker (the same rules as For you and digests), as one notification linking to For
/// you. The server runs it hourly (NotifyJob); `notify [--dry-run]` does the same by hand.
/// </summary>
public sealed class FollowsNotifier(AppDb db, DigestComposer composer, Embedder embedder, TimeProvider clock)
{
    public sealed record Told(long UserId, int Papers);

    public async Task<List<Told>> RunAsync(bool dryRun, CancellationToken ct = default)
    {
        var told = new List<Told>();
        if (await FeedQuery.LatestDateAsync(db, ct) is not { } latest) return told;
        var readers = await db.Users.Where(u => u.SuspendedAt == null && db.Follows.Any(f => f.UserId == u.Id))
            .Select(u => new { u.Id, u.FollowsSeenUntil }).ToListAsync(ct);
        // Accounts told up to the same day share one picker: the period is read once per distinct day.
        foreach (var group in readers.GroupBy(r => r.FollowsSeenUntil ?? latest.AddDays(-1)).Where(g => g.Key < latest))
        {
            var picker = await composer.PickerAsync(new Period(PeriodKind.Week, group.Key.AddDays(1), latest.AddDays(1)), ct);
            foreach (var reader in group)
            {
                var profile = await Profile.LoadAsync(db, embedder, reader.Id, ct);
                var (_, matched) = picker.Pick(profile.Topics, null, picker.Papers.Count);
                if (matched > 0) told.Add(new Told(reader.Id, matched));
                if (!dryRun) await TellAsync(reader.Id, matched, latest, ct);
            }
        }
        return told;
    }

    async Task TellAsync(long userId, int matched, DateOnly latest, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (matched > 0)
            await NotificationService.AddAsync(db, userId, Notification.Follows,
                $"{matched} new {(matched == 1 ? "paper" : "papers")} from what you follow.", "/for-you", clock.GetUtcNow().UtcDateTime, ct);
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(u => u.SetProperty(x => x.FollowsSeenUntil, latest), ct);
        await tx.CommitAsync(ct);
    }
}

/// <summary>Runs FollowsNotifier hourly in the server (`notify` does it by hand).</summary>
public sealed class NotifyJob(IServiceScopeFactory scopes, TimeProvider clock, ILogger<NotifyJob> log) : HourlyJob(scopes, clock, log)
{
    protected override async Task<string> RunOnceAsync(IServiceProvider services, DateTime now, CancellationToken ct) =>
        $"{(await services.GetRequiredService<FollowsNotifier>().RunAsync(dryRun: false, ct)).Count} accounts told of new papers";
}
