using DailyPapers.Data;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Ingest;

/// <summary>Writes every paper, with its featured days, as JSON lines in id order. Memory stays flat: keyset pages.</summary>
public sealed class Exporter(AppDb db)
{
    const int PageSize = 1_000;

    public async Task<int> ExportAsync(TextWriter output, CancellationToken ct = default)
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
