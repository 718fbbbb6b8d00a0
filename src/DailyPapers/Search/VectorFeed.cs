using DailyPapers.Data;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Search;

/// <summary>
/// Keeps this instance's VectorIndex equal to paper_vectors, whoever wrote the vectors: another instance's EmbedJob
/// (one instance at a time embeds, Data/JobLeases.cs) or a CLI `embed` beside the server. Every vector written takes
/// the next change number (migration 0015), so after the full load at start a poll reads only the rows numbered above
/// what was seen: the ids and numbers first, then the vectors of the rows not applied yet. A re-embedded paper's row
/// comes back with a new number and replaces its vector in the index; a deleted or stale vector stays in the index,
/// as it always did, and searches drop papers that are gone or hidden.
/// A search polls first when the last poll is a second old (SearchService), and EmbedJob every few seconds.
/// </summary>
public sealed class VectorFeed(VectorIndex index, Embedder embedder, TimeProvider clock, ILogger<VectorFeed> log)
{
    /// <summary>
    /// How long a change number is read again after a higher one was seen. PostgreSQL hands out sequence numbers when a
    /// row is written and shows them when its transaction commits, so a lower number can appear after a higher one; a
    /// poll that saw number n at time t has seen everything taken before n was, except what is still uncommitted. The
    /// gap is narrow (a writer takes its number in a BEFORE trigger, then queues on the data_version row, postgres/0012)
    /// and embedding writes a batch in a transaction of milliseconds, so a commit later than this is not expected.
    /// </summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    /// <summary>At most one poll per this interval from searches: a search sees writes committed a second before it.</summary>
    public static readonly TimeSpan SearchInterval = TimeSpan.FromSeconds(1);

    /// <summary>Numbers below the highest at start that a first poll still reads, for writes in flight while it loaded.</summary>
    const long StartWindow = 1000;

    readonly SemaphoreSlim gate = new(1, 1);
    // Numbers at or below the floor are not read again; those above it that were applied are in `applied`.
    long floor = long.MaxValue;
    readonly HashSet<long> applied = [];
    // The highest number each poll saw, and when: the floor moves to a poll's highest once it is Grace old.
    readonly Queue<(DateTimeOffset At, long Highest)> polls = new();
    long highest;
    long lastPollTicks = long.MinValue;

    public bool Loaded => floor != long.MaxValue;

    /// <summary>Fills the index from the stored vectors, in pages so memory stays flat, and starts following changes.</summary>
    public async Task LoadAsync(AppDb db, CancellationToken ct = default)
    {
        await gate.WaitAsync(ct);
        try
        {
            var model = embedder.ModelName;
            // Read before the rows: anything written meanwhile has a higher number, and the first poll reads it.
            var start = await db.Database.SqlQuery<long>($"SELECT coalesce(max(change), 0) AS \"Value\" FROM paper_vectors").SingleAsync(ct);
            index.Reserve(index.Count + await db.PaperVectors.CountAsync(v => v.Model == model, ct));
            var after = "";
            while (true)
            {
                var page = await db.Database.SqlQuery<VectorRow>(
                    $"SELECT paper_id AS \"PaperId\", change AS \"Change\", vector AS \"Vector\" FROM paper_vectors WHERE model = {model} AND paper_id > {after} ORDER BY paper_id LIMIT 10000")
                    .ToListAsync(ct);
                if (page.Count == 0) break;
                index.Upsert(page.Select(v => (v.PaperId, Embeddings.FromBytes(v.Vector))).ToList());
                applied.UnionWith(page.Select(v => v.Change).Where(c => c > start - StartWindow));
                highest = Math.Max(highest, page.Max(v => v.Change));
                after = page[^1].PaperId;
            }
            highest = Math.Max(highest, start);
            floor = Math.Max(0, start - StartWindow);
            polls.Enqueue((clock.GetUtcNow(), start));
            lastPollTicks = clock.GetUtcNow().UtcTicks;
        }
        finally { gate.Release(); }
    }

    /// <summary>Polls unless a poll ran within SearchInterval (or the start's load has not run yet).</summary>
    public async Task CatchUpIfDueAsync(AppDb db, CancellationToken ct = default)
    {
        if (!Loaded || clock.GetUtcNow().UtcTicks - Interlocked.Read(ref lastPollTicks) < SearchInterval.Ticks) return;
        await gate.WaitAsync(ct);
        try
        {
            // Searches that waited here while another poll ran need not poll again.
            if (clock.GetUtcNow().UtcTicks - lastPollTicks >= SearchInterval.Ticks) await PollAsync(db, ct);
        }
        finally { gate.Release(); }
    }

    /// <summary>Applies every vector written since the last poll; returns how many.</summary>
    public async Task<int> CatchUpAsync(AppDb db, CancellationToken ct = default)
    {
        if (!Loaded) return 0;
        await gate.WaitAsync(ct);
        try { return await PollAsync(db, ct); }
        finally { gate.Release(); }
    }

    async Task<int> PollAsync(AppDb db, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        Interlocked.Exchange(ref lastPollTicks, now.UtcTicks);
        while (polls.TryPeek(out var old) && old.At <= now - Grace) floor = Math.Max(floor, polls.Dequeue().Highest);
        applied.RemoveWhere(c => c <= floor);
        var model = embedder.ModelName;
        var recent = await db.Database.SqlQuery<long>(
            $"SELECT change AS \"Value\" FROM paper_vectors WHERE change > {floor} AND model = {model}").ToListAsync(ct);
        var fresh = recent.Where(c => !applied.Contains(c)).ToList();
        var rows = new List<VectorRow>();
        // The numbers are read from the table a moment ago, not input: written inline, one statement per chunk.
        foreach (var chunk in fresh.Chunk(1000))
        {
            var select = "SELECT paper_id AS \"PaperId\", change AS \"Change\", vector AS \"Vector\" FROM paper_vectors WHERE change IN ("
                + string.Join(',', chunk) + ")";
            rows.AddRange(await db.Database.SqlQueryRaw<VectorRow>(select).ToListAsync(ct));
        }
        // A number gone by the second query belongs to a vector replaced since (its new number is read next time).
        if (rows.Count > 0) index.Upsert(rows.Select(r => (r.PaperId, Embeddings.FromBytes(r.Vector))).ToList());
        applied.UnionWith(rows.Select(r => r.Change));
        highest = Math.Max(highest, recent.DefaultIfEmpty(0).Max());
        polls.Enqueue((now, highest));
        if (rows.Count > 0) log.LogDebug("Vector index: {Count} vectors from the database", rows.Count);
        return rows.Count;
    }

    sealed record VectorRow(string PaperId, long Change, byte[] Vector);
}
