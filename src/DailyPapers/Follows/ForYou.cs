using DailyPapers.Data;
using DailyPapers.Digest;
using DailyPapers.Feed;
using DailyPapers.Search;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Follows;

/// <summary>
/// "For you": the last two weeks of featured papers, ranked for one account. Papers by followed authors, in followed
/// categories or with followed keywords come first; then papers close to the account's taste (the mean embedding
/// of what it upvoted and bookmarked); then the rest in trending order. The digest's picker does the ranking, so the
/// page and a digest's personal picks agree. Without embeddings, follows and trending still work.
/// </summary>
public sealed class ForYou(AppDb db, DigestComposer composer, Embedder embedder)
{
    public const int Days = 14;

    public async Task<(List<string> Ids, int Matched)> RankAsync(long userId, int count, CancellationToken ct = default)
    {
        var latest = await FeedQuery.LatestDateAsync(db, ct);
        if (latest is null) return ([], 0);
        var period = new Period(PeriodKind.Week, latest.Value.AddDays(1 - Days), latest.Value.AddDays(1));
        var picker = await composer.PickerAsync(period, ct);
        var follows = await db.Follows.AsNoTracking().Where(f => f.UserId == userId).ToListAsync(ct);
        var topics = new Topics(Values(follows, "category"), Values(follows, "keyword"), null, Values(follows, "author"));
        var liked = await db.Votes.Where(v => v.UserId == userId).Select(v => v.PaperId)
            .Union(db.CollectionItems.Where(i => db.Collections.Any(c => c.Id == i.CollectionId && c.UserId == userId)).Select(i => i.PaperId))
            .ToListAsync(ct);
        var taste = await TasteAsync(liked, ct);
        var (ids, matched) = picker.Pick(topics, taste, count + liked.Count);
        // Already upvoted or bookmarked: the reader has seen those.
        var seen = liked.ToHashSet();
        var fresh = ids.Where(id => !seen.Contains(id)).Take(count).ToList();
        return (fresh, Math.Min(matched, fresh.Count));
    }

    static List<string> Values(List<Follow> follows, string kind) => follows.Where(f => f.Kind == kind).Select(f => f.Value).ToList();

    async Task<float[]?> TasteAsync(List<string> liked, CancellationToken ct)
    {
        if (liked.Count == 0) return null;
        var model = embedder.ModelName;
        var vectors = await db.PaperVectors.AsNoTracking().Where(v => liked.Contains(v.PaperId) && v.Model == model).Select(v => v.Vector).ToListAsync(ct);
        if (vectors.Count == 0) return null;
        var mean = new float[Embedder.Dimensions];
        foreach (var v in vectors) System.Numerics.Tensors.TensorPrimitives.Add(mean, Embeddings.FromBytes(v), mean);
        var norm = System.Numerics.Tensors.TensorPrimitives.Norm(mean);
        if (norm > 0) System.Numerics.Tensors.TensorPrimitives.Divide(mean, norm, mean);
        return mean;
    }
}
