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

public sealed class ImportCounts
{
    public int Records { get; set; }
    public int Rejected { get; set; }
    public Tally Papers { get; } = new();
    public Tally Entries { get; } = new();
    public void Add(ImportCounts other)
    {
        (Records, Rejected) = (Records + other.Records, Rejected + other.Rejected);
        Papers.Add(other.Papers);
        Entries.Add(other.Entries);
    }

    public bool AnythingNew => Papers.New + Papers.Updated + Entries.New + Entries.Updated > 0;

    public override string ToString() =>
        $"{Records} records: papers {Papers}; daily entries {Entries}; {Rejected} rejected";
}

/// <summary>
/// Writes records into the database in batches, one transaction each. Every write is an upsert keyed by arXiv id
/// (and day), so a killed import re-run from the start ends in the same state as one that was never interrupted.
/// </summary>
public sealed class Importer(AppDb db, TimeProvider clock)
{
    public const int DefaultBatchSize = 500;

    /// <param name="rejected">Told of each record that is refused; the others still import.</param>
    /// <param name="dryRun">Do everything, then roll back: the counts are exact and nothing is stored.</param>
    public async Task<ImportCounts> ImportAsync(IEnumerable<IngestRecord> records, Action<IngestRecord>? rejected = null,
        bool dryRun = false, int batchSize = DefaultBatchSize, CancellationToken ct = default)
    {
        var counts = new ImportCounts();
        await using var dryRunTx = dryRun ? await db.Database.BeginTransactionAsync(ct) : null;
        foreach (var batch in records.Chunk(Math.Max(1, batchSize)))
            await ImportBatchAsync(batch, counts, rejected, ct);
        if (dryRunTx is not null) await dryRunTx.RollbackAsync(ct);
        return counts;
    }

    async Task ImportBatchAsync(IngestRecord[] batch, ImportCounts counts, Action<IngestRecord>? rejected, CancellationToken ct)
    {
        counts.Records += batch.Length;
        foreach (var bad in batch.Where(r => r.Paper is null))
        {
            counts.Rejected++;
            rejected?.Invoke(bad);
        }
        var good = batch.Where(r => r.Paper is not null).ToList();
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
        await SaveAsync(fresh, ids, ct);
    }

    /// <summary>Rows first seen in this batch: inserted in bulk, while known rows go through change tracking.</summary>
    sealed class Fresh
    {
        public List<Paper> Papers { get; } = [];
        public List<DailyEntry> Entries { get; } = [];
    }

    // One transaction per batch (or the dry run's): a batch lands whole or not at all, with its trending scores
    // current, so the trending list is right the moment an import (or the sample load at start) is done.
    async Task SaveAsync(Fresh fresh, List<string> ids, CancellationToken ct)
    {
        await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        await db.InsertAsync(fresh.Papers, ct);
        await db.InsertAsync(fresh.Entries, ct);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        await Votes.TrendingScores.RefreshAsync(db, ids, clock.GetUtcNow().UtcDateTime, ct);
        if (tx is not null) await tx.CommitAsync(ct);
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
