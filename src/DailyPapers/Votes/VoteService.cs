using DailyPapers.Data;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Votes;

public sealed record VoteState(string PaperId, bool Upvoted, int Upvotes, double Trending);

/// <summary>
/// Upvote and withdraw. Each is one transaction: the vote row (insert-if-absent or delete) and, only when a row
/// changed, the paper's counter and trending score. The primary key decides races, so any number of clients
/// clicking at once leave the count equal to the number of vote rows.
/// </summary>
public sealed class VoteService(AppDb db, TimeProvider clock)
{
    public async Task<VoteState?> SetAsync(long userId, string paperId, bool up, CancellationToken ct = default)
    {
        var now = Data.AppDb.ToMicroseconds(clock.GetUtcNow().UtcDateTime); // as the model stores times: the INSERT below is raw
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await db.Papers.AnyAsync(p => p.Id == paperId, ct)) return null;
        // Portable SQL: INSERT … ON CONFLICT DO NOTHING and DELETE report whether a row changed, in SQLite and PostgreSQL.
        var changed = up
            ? await db.Database.ExecuteSqlAsync($"INSERT INTO votes (user_id, paper_id, created_at) VALUES ({userId}, {paperId}, {now}) ON CONFLICT DO NOTHING", ct)
            : await db.Votes.Where(v => v.UserId == userId && v.PaperId == paperId).ExecuteDeleteAsync(ct);
        if (changed > 0)
        {
            var delta = up ? 1 : -1;
            // Through every paper: the check above already refused hidden ones; the counter is bookkeeping.
            await db.PapersIncludingHidden.Where(p => p.Id == paperId).ExecuteUpdateAsync(u => u.SetProperty(p => p.LocalUpvotes, p => p.LocalUpvotes + delta), ct);
            await TrendingScores.RefreshAsync(db, [paperId], now, ct);
        }
        await tx.CommitAsync(ct);
        return await StateAsync(userId, paperId, ct);
    }

    /// <summary>Which of these papers an account has upvoted: for the buttons of a list page.</summary>
    public static async Task<IReadOnlySet<string>> VotedAsync(AppDb db, long? userId, IEnumerable<string> ids, CancellationToken ct = default)
    {
        if (userId is not { } u) return new HashSet<string>();
        var list = ids.ToList();
        return (await db.Votes.Where(v => v.UserId == u && list.Contains(v.PaperId)).Select(v => v.PaperId).ToListAsync(ct)).ToHashSet();
    }

    public async Task<VoteState?> StateAsync(long? userId, string paperId, CancellationToken ct = default)
    {
        var paper = await db.Papers.AsNoTracking().SingleOrDefaultAsync(p => p.Id == paperId, ct);
        if (paper is null) return null;
        var mine = userId is { } u && await db.Votes.AnyAsync(v => v.UserId == u && v.PaperId == paperId, ct);
        return new VoteState(paperId, mine, paper.Counts.Upvotes, paper.Trending);
    }
}
