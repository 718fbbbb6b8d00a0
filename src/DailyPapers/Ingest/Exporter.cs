using DailyPapers.Data;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Ingest;

/// <summary>How many rows of each kind an export wrote: papers first, then the kinds of ExportRows.All in order.</summary>
public sealed record ExportCounts(int Papers, IReadOnlyList<(string Plural, int Count)> Rows)
{
    public override string ToString() => string.Join(", ", Rows.Prepend((Plural: "papers", Count: Papers)).Select(r => $"{r.Count} {r.Plural}"));
}

/// <summary>
/// Writes everything the hub holds as JSON lines: every paper with its featured days, in id order, then accounts,
/// tokens, votes, comments, collections, follows, subscriptions, reports, claims, submissions and notifications
/// (ExportRows). All of it from one read transaction, so an export taken while the server runs is a consistent
/// backup. Memory stays flat: keyset pages of papers, streamed rows.
/// </summary>
public sealed class Exporter(AppDb db)
{
    const int PageSize = 1_000;

    public async Task<ExportCounts> ExportAsync(TextWriter output, CancellationToken ct = default)
    {
        await using var snapshot = await ReadSnapshot.BeginAsync(db, ct);
        var papers = await ExportPapersAsync(output, ct);
        var rows = new List<(string, int)>();
        foreach (var kind in ExportRows.All) rows.Add((kind.Plural, await kind.WriteAsync(db, output, ct)));
        return new ExportCounts(papers, rows);
    }

    async Task<int> ExportPapersAsync(TextWriter output, CancellationToken ct)
    {
        var count = 0;
        string? after = null;
        while (true)
        {
            // Hidden papers too, with their hidden_at: a backup restores moderation as it was.
            var papers = await db.PapersIncludingHidden.AsNoTracking()
                .Where(p => after == null || string.Compare(p.Id, after) > 0)
                .OrderBy(p => p.Id).Take(PageSize).ToListAsync(ct);
            if (papers.Count == 0) return count;
            var ids = papers.Select(p => p.Id).ToList();
            var entries = (await db.DailyEntriesIncludingHidden.AsNoTracking().Where(e => ids.Contains(e.PaperId)).ToListAsync(ct))
                .OrderBy(e => e.Date).ToLookup(e => e.PaperId);
            foreach (var paper in papers)
                await output.WriteLineAsync(ExportFormat.Write(paper, entries[paper.Id].ToList()).AsMemory(), ct);
            count += papers.Count;
            after = papers[^1].Id;
        }
    }
}
