using System.Runtime.InteropServices;
using DailyPapers.Data;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Search;

/// <summary>
/// Computes the embeddings papers lack, stores them with the paper, and keeps the in-memory index in step.
/// Restartable at any point: "missing" is simply a paper without a stored vector.
/// </summary>
public sealed class Embeddings(AppDb db, Embedder embedder, VectorIndex index, VectorFeed feed)
{
    // Papers read and written per round trip; the model itself embeds them one at a time (see Embedder).
    public const int BatchSize = 16;

    public bool Available => embedder.Available;

    public Task<int> MissingCountAsync(CancellationToken ct = default) =>
        Missing().CountAsync(ct);

    // A paper lacks a vector when it has none from the configured model (a vector from another model is replaced).
    IQueryable<Papers.Paper> Missing()
    {
        var model = embedder.ModelName;
        // Hidden papers too: a paper restored by a moderator is searchable at once.
        return db.PapersIncludingHidden.Where(p => !db.PaperVectors.Any(v => v.PaperId == p.Id && v.Model == model));
    }

    /// <summary>Embeds up to `max` papers without a vector; returns how many it did.</summary>
    public async Task<int> EmbedMissingAsync(int max = int.MaxValue, Action<int>? progress = null, CancellationToken ct = default)
    {
        var done = 0;
        while (done < max)
        {
            var batch = await Missing().AsNoTracking()
                .OrderBy(p => p.Id).Take(Math.Min(BatchSize, max - done))
                .Select(p => new { p.Id, p.Title, p.Summary }).ToListAsync(ct);
            if (batch.Count == 0) break;
            var vectors = embedder.Embed(batch.Select(p => TextOf(p.Title, p.Summary)).ToList());
            var ids = batch.Select(p => p.Id).ToList();
            await using (var tx = await db.Database.BeginTransactionAsync(ct))
            {
                await db.PaperVectors.Where(v => ids.Contains(v.PaperId)).ExecuteDeleteAsync(ct);
                db.PaperVectors.AddRange(batch.Select((p, i) => new PaperVector { PaperId = p.Id, Model = embedder.ModelName, Vector = ToBytes(vectors[i]) }));
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            }
            db.ChangeTracker.Clear();
            index.Upsert(batch.Select((p, i) => (p.Id, vectors[i])).ToList());
            done += batch.Count;
            progress?.Invoke(done);
        }
        return done;
    }

    /// <summary>Fills the in-memory index from the stored vectors and starts following later writes (VectorFeed).</summary>
    public Task LoadIndexAsync(CancellationToken ct = default) => feed.LoadAsync(db, ct);

    /// <summary>What the model reads of a paper: its title, then its abstract (cut at the model's token limit).</summary>
    public static string TextOf(string title, string summary) => $"{title}. {Ingest.Text.Squash(summary)}";

    public static byte[] ToBytes(float[] v) => MemoryMarshal.AsBytes(v.AsSpan()).ToArray();

    public static float[] FromBytes(byte[] b) => MemoryMarshal.Cast<byte, float>(b).ToArray();
}
