using DailyPapers.Data;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Search;

/// <summary>
/// Keeps the keyword index equal to the papers table. Every change to an indexed column writes a row to
/// search_outbox in the writing transaction (triggers, migration 0012), so no write path can forget the index.
/// Rows are applied idempotently (a paper is re-read and replaced, or removed when gone or hidden), the index is
/// committed, and only then are exactly those rows deleted, by id: a crash in between applies them again, and rows
/// committed late with smaller ids (concurrent writers) are still found, which a "last applied id" cursor would skip.
/// </summary>
public sealed class KeywordFeed(AppDb db, KeywordIndex index, Web.DataVersion version, TimeProvider clock, ILogger<KeywordFeed> log)
{
    const int Batch = 2000;

    /// <summary>A reindex that has not signalled for this long is taken for dead and no longer holds rows back.</summary>
    static readonly TimeSpan ReindexTimeout = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Builds the index if there is none, then applies what is waiting. Free when the database has not changed since
    /// the outbox was last seen empty, one query when it has and nothing waits.
    /// </summary>
    public async Task CatchUpAsync(CancellationToken ct = default)
    {
        if (index.Missing) await RebuildAsync(ct, onlyIfMissing: true);
        if (!index.Writable) return;
        // Read before the outbox: a commit after this moment (any connection, any process) moves the version, so the
        // next search looks again. A hidden paper is still gone at the next search, without a query on every search.
        var now = version.Current();
        if (now is not null && ReferenceEquals(now, index.EmptyOutboxAt)) return;
        if (!await WaitingAsync(ct))
        {
            index.EmptyOutboxAt = now;
            return;
        }
        await index.Gate.WaitAsync(ct);
        try
        {
            // Rows are kept while a reindex runs, so the folder it swaps in still receives them afterwards.
            var keep = await ReindexRunningAsync(ct);
            long after = 0;
            while (await ApplyBatchAsync(after, keep, ct) is { } last) after = last;
        }
        finally { index.Gate.Release(); }
    }

    Task<bool> WaitingAsync(CancellationToken ct) => db.Database.SqlQueryRaw<long>("SELECT id AS \"Value\" FROM search_outbox").AnyAsync(ct);

    // Returns the last row id applied, or null when no rows were left.
    async Task<long?> ApplyBatchAsync(long after, bool keep, CancellationToken ct)
    {
        var rows = await db.Database.SqlQuery<OutboxRow>($"SELECT id AS \"Id\", paper_id AS \"PaperId\" FROM search_outbox WHERE id > {after} ORDER BY id LIMIT {Batch}").ToListAsync(ct);
        if (rows.Count == 0) return null;
        var ids = rows.Select(r => r.PaperId).Distinct().ToList();
        var papers = await Visible(db.Papers.Where(p => ids.Contains(p.Id))).ToListAsync(ct);
        index.Apply(papers, ids.Except(papers.Select(p => p.Id)));
        if (!keep) await DeleteAsync(rows.Select(r => r.Id), ct);
        return rows[^1].Id;
    }

    async Task DeleteAsync(IEnumerable<long> ids, CancellationToken ct)
    {
        // The ids are numbers read from the table a moment ago, not input: written inline, one statement per batch.
        var delete = "DELETE FROM search_outbox WHERE id IN (" + string.Join(',', ids) + ")";
        await db.Database.ExecuteSqlRawAsync(delete, ct);
    }

    sealed record OutboxRow(long Id, string PaperId);

    /// <summary>The indexed columns of papers readers may see (AppDb's filter leaves hidden papers out).</summary>
    public static IQueryable<IndexedPaper> Visible(IQueryable<Papers.Paper> papers) =>
        papers.Select(p => new IndexedPaper(p.Id, p.Title, p.Summary, p.AuthorNames, p.Categories, p.PublishedAt, p.GithubRepo));

    /// <summary>
    /// Builds a new index from the table and swaps it in (`reindex`, or a first start). While it reads, rows written
    /// meanwhile stay in the outbox (the marker below), so the new index gets them after the swap.
    /// </summary>
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
        await MarkReindexAsync(ct);
        try
        {
            List<long> covered;
            int count;
            // One read snapshot: the outbox rows it sees are reflected in the papers it reads, so after the swap exactly
            // those rows are deleted (by id: rows committed after the snapshot stay and are applied).
            await using (var snapshot = await ReadSnapshot.BeginAsync(db, ct))
            {
                covered = await db.Database.SqlQueryRaw<long>("SELECT id AS \"Value\" FROM search_outbox").ToListAsync(ct);
                count = index.Build(Visible(db.Papers.AsNoTracking()).AsAsyncEnumerable().ToBlockingEnumerable(ct));
            }
            foreach (var chunk in covered.Chunk(5000)) await DeleteAsync(chunk, ct);
            log.LogInformation("Keyword index built: {Count} papers", count);
            return count;
        }
        finally { await db.Database.ExecuteSqlRawAsync("DELETE FROM search_reindex", ct); }
    }

    async Task MarkReindexAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await db.Database.ExecuteSqlRawAsync("DELETE FROM search_reindex", ct);
        await db.Database.ExecuteSqlAsync($"INSERT INTO search_reindex (started_at) VALUES ({now})", ct);
    }

    async Task<bool> ReindexRunningAsync(CancellationToken ct)
    {
        var started = await db.Database.SqlQuery<DateTime>($"SELECT started_at AS \"Value\" FROM search_reindex").ToListAsync(ct);
        return started.Any(s => clock.GetUtcNow().UtcDateTime - s < ReindexTimeout);
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
