using System.Text.Json;
using DailyPapers.Data;
using DailyPapers.Feed;
using DailyPapers.Papers;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Ingest;

public enum Change { New, Updated, Unchanged }

public sealed class Tally
{
    public int New { get; set; }
    public int Updated { get; set; }
    public int Unchanged { get; set; }

    public void Add(Change c)
    {
        if (c == Change.New) New++;
        else if (c == Change.Updated) Updated++;
        else Unchanged++;
    }

    public void Add(Tally other) => (New, Updated, Unchanged) = (New + other.New, Updated + other.Updated, Unchanged + other.Unchanged);

    public override string ToString() => $"{New} new, {Updated} updated, {Unchanged} unchanged";
}

/// <summary>What happened to the rows of one kind (accounts, votes…) of a DailyPapers export.</summary>
public sealed class RowTally
{
    public int New { get; set; }
    public int Updated { get; set; }
    public int Unchanged { get; set; }
    public int Conflicting { get; set; }

    public void Add(RowChange c)
    {
        if (c == RowChange.New) New++;
        else if (c == RowChange.Updated) Updated++;
        else if (c == RowChange.Unchanged) Unchanged++;
        else Conflicting++;
    }

    public override string ToString() => $"{New} new, {Updated} updated, {Unchanged} unchanged, {Conflicting} conflicting";
}

public sealed class ImportCounts
{
    public int Records { get; set; }
    public int Rejected { get; set; }
    public Tally Papers { get; } = new();
    public Tally Entries { get; } = new();
    /// <summary>Rows of an export besides papers, by kind (ExportRows.All); only kinds the input held.</summary>
    public SortedDictionary<int, (string Plural, RowTally Tally)> Rows { get; } = [];

    public RowTally Of(RowKind kind)
    {
        var order = ExportRows.All.ToList().IndexOf(kind);
        if (!Rows.TryGetValue(order, out var entry)) Rows[order] = entry = (kind.Plural, new RowTally());
        return entry.Tally;
    }

    public void Add(ImportCounts other)
    {
        (Records, Rejected) = (Records + other.Records, Rejected + other.Rejected);
        Papers.Add(other.Papers);
        Entries.Add(other.Entries);
        foreach (var (order, (plural, tally)) in other.Rows)
        {
            var mine = Of(ExportRows.All[order]);
            (mine.New, mine.Updated, mine.Unchanged, mine.Conflicting) =
                (mine.New + tally.New, mine.Updated + tally.Updated, mine.Unchanged + tally.Unchanged, mine.Conflicting + tally.Conflicting);
        }
    }

    public bool AnythingNew => Papers.New + Papers.Updated + Entries.New + Entries.Updated + Rows.Values.Sum(r => r.Tally.New + r.Tally.Updated) > 0;

    public override string ToString() =>
        $"{Records} records: papers {Papers}; daily entries {Entries}{string.Concat(Rows.Values.Select(r => $"; {r.Plural} {r.Tally}"))}; {Rejected} rejected";
}

/// <summary>
/// Writes records into the database in batches, one transaction each. Every write is an upsert keyed by arXiv id
/// (and day), so a killed import re-run from the start ends in the same state as one that was never interrupted.
/// </summary>
public sealed class Importer(AppDb db, TimeProvider clock)
{
    public const int DefaultBatchSize = 500;

    /// <param name="rejected">Told of each record that is refused; the others still import.</param>
    /// <param name="conflict">Told why each export row that conflicts with what is stored was left out.</param>
    /// <param name="dryRun">Do everything, then roll back: the counts are exact and nothing is stored.</param>
    public async Task<ImportCounts> ImportAsync(IEnumerable<IngestRecord> records, Action<IngestRecord>? rejected = null,
        bool dryRun = false, int batchSize = DefaultBatchSize, CancellationToken ct = default, Action<string>? conflict = null)
    {
        var counts = new ImportCounts();
        var state = new MergeState();
        await using var dryRunTx = dryRun ? await db.Database.BeginTransactionAsync(ct) : null;
        foreach (var batch in records.Chunk(Math.Max(1, batchSize)))
            await ImportBatchAsync(batch, counts, state, rejected, conflict, ct);
        if (dryRunTx is not null) await dryRunTx.RollbackAsync(ct);
        return counts;
    }

    // One transaction per batch (or the dry run's): a batch lands whole or not at all, with its counts and trending
    // scores current, so the lists are right the moment an import (or the sample load at start) is done.
    async Task ImportBatchAsync(IngestRecord[] batch, ImportCounts counts, MergeState state, Action<IngestRecord>? rejected,
        Action<string>? conflict, CancellationToken ct)
    {
        counts.Records += batch.Length;
        foreach (var bad in batch.Where(r => r.Error is not null))
        {
            counts.Rejected++;
            rejected?.Invoke(bad);
        }
        await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        var ids = await ImportPapersAsync(batch.Where(r => r.Paper is not null).ToList(), counts, ct);
        // After the batch's papers: an export lists papers first, so a vote's paper is stored before the vote.
        foreach (var record in batch.Where(r => r.Row is not null))
        {
            var (kind, row) = (record.Row!.Kind, record.Row.Value);
            var (change, why) = await kind.MergeAsync(db, row, state, ct);
            counts.Of(kind).Add(change);
            if (why is not null) conflict?.Invoke($"{record.Location}: {why}");
            if (change is RowChange.New or RowChange.Updated && kind.CountedPaper(row) is { } paper) ids.Add(paper);
        }
        db.ChangeTracker.Clear();
        await FinishAsync(batch, ids.Distinct().ToList(), ct);
        if (tx is not null) await tx.CommitAsync(ct);
    }

    async Task<List<string>> ImportPapersAsync(List<IngestRecord> good, ImportCounts counts, CancellationToken ct)
    {
        var ids = good.Select(r => r.Paper!.Id).Distinct().ToList();
        // Hidden papers too: a re-import merges into them (and leaves them hidden) instead of failing on their key.
        var papers = await db.PapersIncludingHidden.Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var entries = await db.DailyEntriesIncludingHidden.Where(e => ids.Contains(e.PaperId)).ToDictionaryAsync(e => (e.Date, e.PaperId), ct);
        var fresh = new Fresh();
        foreach (var record in good)
        {
            counts.Papers.Add(Upsert(papers, record.Paper!, fresh));
            foreach (var entry in record.Entries) counts.Entries.Add(Upsert(entries, entry, fresh));
        }
        await db.InsertAsync(fresh.Papers, ct);
        await db.InsertAsync(fresh.Entries, ct);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return ids;
    }

    /// <summary>Rows first seen in this batch: inserted in bulk, while known rows go through change tracking.</summary>
    sealed class Fresh
    {
        public List<Paper> Papers { get; } = [];
        public List<DailyEntry> Entries { get; } = [];
    }

    async Task FinishAsync(IngestRecord[] batch, List<string> ids, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (!batch.Any(r => r.Row is not null))
        {
            await Votes.TrendingScores.RefreshAsync(db, ids, now, ct);
            return;
        }
        // Votes and comments came with the export: the stored counts are recounted from the rows, never summed.
        await Votes.TrendingScores.RecountAsync(db, ids, now, ct);
        // The first account is the hub's admin seat (migration 0006): an import into an empty hub fills it, so the
        // next sign-up does not take it.
        await db.Database.ExecuteSqlAsync($"INSERT INTO first_account (slot, user_id) SELECT 1, MIN(id) FROM users HAVING COUNT(*) > 0 ON CONFLICT DO NOTHING", ct);
        await Provider.CatchUpIdentitiesAsync(db, ct);
    }

    static Change Upsert(Dictionary<string, Paper> known, Paper incoming, Fresh fresh)
    {
        if (!known.TryGetValue(incoming.Id, out var paper))
        {
            known[incoming.Id] = incoming;
            fresh.Papers.Add(incoming);
            return Change.New;
        }
        var before = Fingerprint(paper);
        PaperMerge.Into(paper, incoming);
        return Fingerprint(paper) == before ? Change.Unchanged : Change.Updated;
    }

    static Change Upsert(Dictionary<(DateOnly, string), DailyEntry> known, DailyEntry incoming, Fresh fresh)
    {
        if (!known.TryGetValue((incoming.Date, incoming.PaperId), out var entry))
        {
            known[(incoming.Date, incoming.PaperId)] = incoming;
            fresh.Entries.Add(incoming);
            return Change.New;
        }
        var before = Fingerprint(entry);
        Merge(entry, incoming);
        return Fingerprint(entry) == before ? Change.Unchanged : Change.Updated;
    }

    static void Merge(DailyEntry t, DailyEntry i)
    {
        t.PublishedAt = i.PublishedAt ?? t.PublishedAt;
        t.Title = i.Title ?? t.Title;
        t.Thumbnail = i.Thumbnail ?? t.Thumbnail;
        t.SubmittedByJson = i.SubmittedByJson ?? t.SubmittedByJson;
        t.OrganizationJson = i.OrganizationJson ?? t.OrganizationJson;
        t.MediaUrlsJson = i.MediaUrlsJson ?? t.MediaUrlsJson;
        t.MediaUrl = i.MediaUrl ?? t.MediaUrl;
        t.SubmitterOrganizationJson = i.SubmitterOrganizationJson ?? t.SubmitterOrganizationJson;
        t.IsAuthorParticipating = i.IsAuthorParticipating ?? t.IsAuthorParticipating;
        t.Position = i.Position;
    }

    // Comparing serialized forms tells "updated" from "unchanged" for any field, including ones added later.
    static string Fingerprint<T>(T value) => JsonSerializer.Serialize(value, ExportFormat.Options);
}
