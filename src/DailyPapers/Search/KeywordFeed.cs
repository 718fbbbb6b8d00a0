using DailyPapers.Data;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Search;

/// <summary>
/// Keeps the keyword index equal to the papers table. Every change to an indexed column writes a row to
/// search_outbox in the writing transaction (triggers, migration 0012), so no write path can forget the index.
/// Several instances share the table and each keeps its own index (issue 14), so no instance deletes what it applied:
/// each index records its own cursor, the outbox id up to which it has applied every row, in the same Lucene commit as
/// the changes (a crash loses nothing and counts nothing twice), and rows are pruned by age (Retention). An index whose
/// cursor is older than the oldest row kept is built again. Applying is idempotent (a paper is re-read and replaced,
/// or removed when gone or hidden), so reading a row twice is harmless; skipping one is not (see Advance).
/// </summary>
public sealed class KeywordFeed(AppDb db, KeywordIndex index, Web.DataVersion version, ILogger<KeywordFeed> log)
{
    const int Batch = 2000;

    /// <summary>How long outbox rows are kept: an instance down for longer rebuilds its index at start.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    /// <summary>How long an id gap may still be filled by a transaction that has not committed yet (see Advance).</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Builds the index if there is none (or it is too far behind), then applies what is waiting. Free when the
    /// database has not changed since nothing was last found waiting, one query when it has and nothing waits.
    /// </summary>
    public Task CatchUpAsync(CancellationToken ct = default) => CatchUpAsync(version.Current(), ct);

    /// <param name="now">
    /// The data version, read before this call: a commit after that moment (any connection, any process) moves the
    /// version, so the next search looks again. A hidden paper is still gone at the next search, without a query on
    /// every search.
    /// </param>
    public async Task CatchUpAsync(Web.DataVersion.Stamp? now, CancellationToken ct)
    {
        if (index.Missing) await RebuildAsync(ct, onlyIfMissing: true);
        if (!index.Writable) return;
        if (now is not null && ReferenceEquals(now, index.EmptyOutboxAt)) return;
        if (!await WaitingAsync(index.Cursor, ct))
        {
            index.EmptyOutboxAt = now;
            return;
        }
        await index.Gate.WaitAsync(ct);
        try
        {
            if (await BehindAsync(ct))
            {
                await BuildAsync(ct);
                return;
            }
            var cursor = index.Cursor!.Value;
            var after = cursor;
            // Once the cursor stops at a gap it stays there for this pass; the rows after are still applied.
            var held = false;
            while (await ReadAsync(after, ct) is { Count: > 0 } rows)
            {
                if (!held) cursor = Advance(cursor, rows, rows[0].ReadAt, Grace);
                held = cursor != rows[^1].Id;
                await ApplyAsync(rows, cursor, ct);
                after = rows[^1].Id;
            }
            // Rows after a fresh gap are read again next time, until the gap is filled or old: not "nothing waits".
            if (!held) index.EmptyOutboxAt = now;
        }
        finally { index.Gate.Release(); }
    }

    /// <summary>
    /// The new cursor after reading <paramref name="rows"/> (ascending ids, all past <paramref name="cursor"/>).
    /// Ids are not commit-ordered on PostgreSQL: an identity value is taken at INSERT, so a transaction may commit
    /// row 8 while row 7's transaction is still open, and a cursor moved to 8 would never read 7. So the cursor moves
    /// only over ids that follow one another; a missing id stops it until the row after the gap is older than the
    /// grace (by then 7 has committed, or was rolled back and never will). The rows after a gap are applied anyway, and
    /// read again meanwhile. SQLite writes one transaction at a time, so its gaps are rollbacks only. (On PostgreSQL
    /// today a writer also takes the data_version row before its first outbox row and holds it to its commit, which
    /// orders them too; the grace does not rely on that trigger order. A write transaction here is one import batch
    /// or one request: far shorter than the grace.)
    /// </summary>
    public static long Advance(long cursor, IReadOnlyList<OutboxRow> rows, DateTime now, TimeSpan grace)
    {
        foreach (var row in rows)
        {
            if (row.Id != cursor + 1 && now - row.CreatedAt < grace) break;
            cursor = row.Id;
        }
        return cursor;
    }

    Task<bool> WaitingAsync(long? cursor, CancellationToken ct) =>
        cursor is { } after
            ? db.Database.SqlQuery<long>($"SELECT id AS \"Value\" FROM search_outbox WHERE id > {after}").AnyAsync(ct)
            : Task.FromResult(true);

    // No cursor (a folder from before cursors), or rows past it were pruned while this instance was away. An id gap
    // right after the cursor looks the same and costs one needless build; nothing is ever missed.
    async Task<bool> BehindAsync(CancellationToken ct)
    {
        if (index.Cursor is not { } cursor) return true;
        var oldest = await db.Database.SqlQueryRaw<long?>("SELECT min(id) AS \"Value\" FROM search_outbox").SingleAsync(ct);
        return oldest > cursor + 1;
    }

    // The database's clock, not this process's: created_at is the database's too, so a row's age needs no synchronised
    // clocks between instances (nor between a test's clock and the database).
    const string Columns = "id AS \"Id\", paper_id AS \"PaperId\", created_at AS \"CreatedAt\", CURRENT_TIMESTAMP AS \"ReadAt\"";

    Task<List<OutboxRow>> ReadAsync(long after, CancellationToken ct) =>
        db.Database.SqlQueryRaw<OutboxRow>($"SELECT {Columns} FROM search_outbox WHERE id > {{0}} ORDER BY id LIMIT {Batch}", after).ToListAsync(ct);

    async Task ApplyAsync(List<OutboxRow> rows, long cursor, CancellationToken ct)
    {
        var ids = rows.Select(r => r.PaperId).Distinct().ToList();
        var papers = await Visible(db.Papers.Where(p => ids.Contains(p.Id))).ToListAsync(ct);
        index.Apply(papers, ids.Except(papers.Select(p => p.Id)), cursor);
    }

    /// <summary>An outbox row, with the time it was written and the time it was read, both by the database's clock.</summary>
    public sealed record OutboxRow(long Id, string PaperId, DateTime CreatedAt, DateTime ReadAt);

    /// <summary>
    /// Deletes rows older than the retention, whichever instance runs it (KeywordIndexJob). The newest row is always
    /// kept, so the table always shows how far ids have gone (BehindAsync).
    /// </summary>
    public async Task<int> PruneAsync(CancellationToken ct = default)
    {
        var before = await db.Database.SqlQueryRaw<DateTime>("SELECT CURRENT_TIMESTAMP AS \"Value\"").SingleAsync(ct) - Retention;
        return await db.Database.ExecuteSqlAsync(
            $"DELETE FROM search_outbox WHERE created_at < {before} AND id < (SELECT max(id) FROM search_outbox)", ct);
    }

    /// <summary>The indexed columns of papers readers may see (AppDb's filter leaves hidden papers out).</summary>
    public static IQueryable<IndexedPaper> Visible(IQueryable<Papers.Paper> papers) =>
        papers.Select(p => new IndexedPaper(p.Id, p.Title, p.Summary, p.AuthorNames, p.Categories, p.PublishedAt, p.GithubRepo));

    /// <summary>Builds a new index from the table and swaps it in (`reindex`, or a first start).</summary>
    public async Task<int> RebuildAsync(CancellationToken ct = default, bool onlyIfMissing = false)
    {
        await index.Gate.WaitAsync(ct);
        try
        {
            if (onlyIfMissing && !index.Missing) return 0;
            return await BuildAsync(ct);
        }
        finally { index.Gate.Release(); }
    }

    async Task<int> BuildAsync(CancellationToken ct)
    {
        int count;
        // One read snapshot: the outbox rows it sees are reflected in the papers it reads, so the new folder's cursor
        // is where those rows end (by the same gap rule); rows committed later are applied after the swap, by this
        // process or by the server that follows the new folder.
        await using (var snapshot = await ReadSnapshot.BeginAsync(db, ct))
        {
            var rows = await db.Database.SqlQueryRaw<OutboxRow>($"SELECT {Columns} FROM search_outbox ORDER BY id").ToListAsync(ct);
            // From the oldest row kept: what was pruned before it is in the papers already.
            var cursor = rows.Count > 0 ? Advance(rows[0].Id - 1, rows, rows[0].ReadAt, Grace) : 0;
            count = index.Build(Visible(db.Papers.AsNoTracking()).AsAsyncEnumerable().ToBlockingEnumerable(ct), cursor);
        }
        index.EmptyOutboxAt = null;
        log.LogInformation("Keyword index built: {Count} papers", count);
        return count;
    }

    /// <summary>Compares the index with the table: ids and the fingerprint of every indexed value. Empty when equal.</summary>
    public async Task<List<string>> VerifyAsync(CancellationToken ct = default)
    {
        var expected = new Dictionary<string, string>();
        await foreach (var p in Visible(db.Papers.AsNoTracking()).AsAsyncEnumerable().WithCancellation(ct))
            expected[p.Id] = KeywordDocument.Fingerprint(p);
        if (index.Missing) return ["no keyword index has been built yet"];
        var actual = index.ReadCommitted(KeywordSearch.Fingerprints);
        var problems = expected.Where(e => !actual.ContainsKey(e.Key)).Select(e => $"missing {e.Key}").ToList();
        problems.AddRange(actual.Where(a => !expected.ContainsKey(a.Key)).Select(a => $"extra {a.Key}"));
        problems.AddRange(expected.Where(e => actual.TryGetValue(e.Key, out var f) && f != e.Value).Select(e => $"stale {e.Key}"));
        return problems;
    }
}
