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
        // Hidden papers keep a current score too, so restoring one puts it back where it belongs.
        var rows = await db.PapersIncludingHidden.AsNoTracking().Where(p => ids.Contains(p.Id))
            .Select(p => new
            {
                Paper = p,
                Featured = db.DailyEntriesIncludingHidden.Where(e => e.PaperId == p.Id).Min(e => (DateOnly?)e.Date),
            }).ToListAsync(ct);
        foreach (var r in rows)
        {
            var since = FeaturedAt(r.Paper.SubmittedOnDailyAt, r.Featured, r.Paper.PublishedAt);
            var score = since is null ? 0 : Trending.Score(r.Paper.Counts.Upvotes, r.Paper.Counts.Comments, since.Value, now);
            // Most papers of a large import score 0 and already hold 0: no write for them.
            if (score == 0 && r.Paper.Trending == 0) continue;
            await db.PapersIncludingHidden.Where(p => p.Id == r.Paper.Id).ExecuteUpdateAsync(u => u.SetProperty(p => p.Trending, score).SetProperty(p => p.TrendingAt, now), ct);
        }
    }

    /// <summary>
    /// Sets papers' stored counts from the rows themselves (votes; comments neither deleted nor hidden), then their
    /// scores: for writes that move many rows at once (an import, an account deleted), where counting deltas one by
    /// one would be easy to get wrong.
    /// </summary>
    public static async Task RecountAsync(AppDb db, IReadOnlyList<string> ids, DateTime now, CancellationToken ct = default)
    {
        foreach (var chunk in ids.Chunk(Batch))
            await db.PapersIncludingHidden.Where(p => chunk.Contains(p.Id)).ExecuteUpdateAsync(u => u
                .SetProperty(p => p.LocalUpvotes, p => db.Votes.Count(v => v.PaperId == p.Id))
                .SetProperty(p => p.LocalComments, p => db.Comments.Count(c => c.PaperId == p.Id && c.DeletedAt == null && c.HiddenAt == null)), ct);
        await RefreshAsync(db, ids, now, ct);
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
            var ids = await db.PapersIncludingHidden.Where(p => after == null || string.Compare(p.Id, after) > 0).OrderBy(p => p.Id).Select(p => p.Id).Take(Batch).ToListAsync(ct);
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
