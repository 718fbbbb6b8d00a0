using DailyPapers.Data;
using DailyPapers.Papers;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Media;

/// <summary>
/// One of the media a paper names (its mediaUrls), as its page shows it: Local is the hub's copy when one is stored
/// (a video plays from there), else null and the page links to Source instead of loading it.
/// </summary>
public sealed record PaperMedium(string Source, string Kind, string? Local, string? ContentType)
{
    public bool IsVideo => Kind == MediaKind.Video;

    /// <summary>The media of a paper, in the data's order, with what is stored of them: one query.</summary>
    public static async Task<IReadOnlyList<PaperMedium>> ForAsync(AppDb db, Paper paper, CancellationToken ct = default)
    {
        var sources = MediaSource.In(null, null, null, paper.MediaUrlsJson).DistinctBy(s => s.Key).ToList();
        if (sources.Count == 0) return [];
        var keys = sources.Select(s => s.Key).ToList();
        var stored = await db.Media.AsNoTracking().Where(m => keys.Contains(m.Key) && m.Status == MediaItem.Stored).ToDictionaryAsync(m => m.Key, ct);
        return sources.Select(s => stored.TryGetValue(s.Key, out var m)
            ? new PaperMedium(s.Url, m.Kind, $"/media/{s.Key}", m.ContentType)
            : new PaperMedium(s.Url, s.Kind, null, null)).ToList();
    }
}
