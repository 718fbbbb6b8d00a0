using DailyPapers.Data;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Votes;

/// <summary>
/// Keeps papers.trending current: right after a vote or a comment for that paper, and hourly for everyone (time
/// decay). A paper's clock starts when it was featured (submitted to the daily list), else when it was published.
/// </summary>
public static class TrendingScores
{
    const int Batch = 500;

    public static async Task RefreshAsync(AppDb db, IReadOnlyList<string> ids, DateTime now, CancellationToken ct = default)
    {
        var rows = await db.Papers.AsNoTracking().Where(p => ids.Contains(p.Id))
            .Select(p => new
            {
                p.Id, p.Upvotes, p.LocalUpvotes, p.NumComments, p.LocalComments, p.SubmittedOnDailyAt, p.PublishedAt,
                Featured = db.DailyEntries.Where(e => e.PaperId == p.Id).Min(e => (DateOnly?)e.Date),
            }).ToListAsync(ct);
        foreach (var r in rows)
        {
            var since = FeaturedAt(r.SubmittedOnDailyAt, r.Featured, r.PublishedAt);
            var score = since is null ? 0 : Trending.Score(r.Upvotes + r.LocalUpvotes, r.NumComments + r.LocalComments, since.Value, now);
            await db.Papers.Where(p => p.Id == r.Id).ExecuteUpdateAsync(u => u.SetProperty(p => p.Trending, score).SetProperty(p => p.TrendingAt, now), ct);
        }
    }

    public static DateTime? FeaturedAt(DateTime? submittedOnDaily, DateOnly? firstFeatured, DateTime? published) =>
        submittedOnDaily ?? firstFeatured?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) ?? published;

    /// <summary>Recomputes every paper, in batches, each its own transaction; returns how many.</summary>
    public static async Task<int> RefreshAllAsync(AppDb db, DateTime now, CancellationToken ct = default)
    {
        var done = 0;
        string? after = null;
        while (true)
        {
            var ids = await db.Papers.Where(p => after == null || string.Compare(p.Id, after) > 0).OrderBy(p => p.Id).Select(p => p.Id).Take(Batch).ToListAsync(ct);
            if (ids.Count == 0) return done;
            await using (var tx = await db.Database.BeginTransactionAsync(ct))
            {
                await RefreshAsync(db, ids, now, ct);
                await tx.CommitAsync(ct);
            }
            done += ids.Count;
            after = ids[^1];
        }
    }
}
