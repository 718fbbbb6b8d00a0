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
        var profile = await Profile.LoadAsync(db, embedder, userId, ct);
        var (ids, matched) = picker.Pick(profile.Topics, profile.Taste, count + profile.Liked.Count);
        // Already upvoted or bookmarked: the reader has seen those.
        var fresh = ids.Where(id => !profile.Liked.Contains(id)).Take(count).ToList();
        return (fresh, Math.Min(matched, fresh.Count));
    }
}

/// <summary>What an account's follows and likes say about it: topics to match and a taste vector.</summary>
public sealed record Profile(Topics Topics, float[]? Taste, HashSet<string> Liked)
{
    public bool IsEmpty => Topics.IsEmpty && Taste is null;

    public static async Task<Profile> LoadAsync(AppDb db, Embedder embedder, long userId, CancellationToken ct = default)
    {
        var follows = await db.Follows.AsNoTracking().Where(f => f.UserId == userId).ToListAsync(ct);
        var topics = new Topics(Values(follows, "category"), Values(follows, "keyword"), null, Values(follows, "author")) { Organizations = Values(follows, "organization") };
        var liked = await db.Votes.Where(v => v.UserId == userId).Select(v => v.PaperId)
            .Union(db.CollectionItems.Where(i => db.Collections.Any(c => c.Id == i.CollectionId && c.UserId == userId)).Select(i => i.PaperId))
            .ToListAsync(ct);
        return new Profile(topics, await TasteAsync(db, embedder, liked, ct), liked.ToHashSet());
    }

    static List<string> Values(List<Follow> follows, string kind) => follows.Where(f => f.Kind == kind).Select(f => f.Value).ToList();

    static async Task<float[]?> TasteAsync(AppDb db, Embedder embedder, List<string> liked, CancellationToken ct)
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
