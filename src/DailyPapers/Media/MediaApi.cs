using DailyPapers.Data;
using DailyPapers.Papers;
using DailyPapers.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace DailyPapers.Media;

/// <summary>
/// Media served by the hub itself, so pages load nothing from other hosts: a paper's thumbnail, and copies of the
/// avatars, images and videos the data names, by key. Anything not stored answers a placeholder, never a redirect.
/// </summary>
public static class MediaApi
{
    public static void MapMedia(this IEndpointRouteBuilder app)
    {
        app.MapPaper("/media/thumbnails", "", (e, route) => e.MapGet(route, Thumbnail)).ExcludeFromDescription();
        app.MapGet("/media/{key}", Remote).ExcludeFromDescription();
    }

    /// <summary>
    /// The PDF's first page when rendered; else Hugging Face's thumbnail of the paper when a copy is stored; else a
    /// card with the id. A paper readers cannot see (unknown, hidden) has none: 404.
    /// </summary>
    static async Task<IResult> Thumbnail(PaperKey key, HttpContext context, AppDb db, MediaFiles files, CancellationToken ct)
    {
        if (!await db.Papers.AnyAsync(p => p.Id == key.Id, ct)) return Pages.Error(404, $"No paper {key} here.");
        var hf = await db.DailyEntries.Where(e => e.PaperId == key.Id && e.Thumbnail != null)
            .OrderByDescending(e => e.Date).Select(e => e.Thumbnail).FirstOrDefaultAsync(ct);
        var keys = new[] { MediaUrls.ThumbnailKey(key.Id), MediaUrls.Resolve(hf) is { } url ? MediaUrls.Key(url) : "" };
        var stored = await db.Media.AsNoTracking().Where(m => keys.Contains(m.Key) && m.Status == MediaItem.Stored).ToListAsync(ct);
        foreach (var item in stored.OrderBy(m => m.Kind == MediaKind.Thumbnail ? 0 : 1))
            if (files.Existing(item) is { } path) return Serve(context, item, path, TimeSpan.FromDays(1));
        return Placeholder.Thumbnail(context, key.Id);
    }

    /// <summary>A stored copy with the type its bytes were found to be; else a placeholder (an avatar's initial from ?name=).</summary>
    static async Task<IResult> Remote(string key, HttpContext context, AppDb db, MediaFiles files, CancellationToken ct)
    {
        if (!MediaUrls.IsKey(key)) return Pages.Error(400, "A media address ends in a key of 64 lower-case hexadecimal digits.");
        var item = await db.Media.AsNoTracking().FirstOrDefaultAsync(m => m.Key == key, ct);
        // The address is the SHA-256 of the source: its bytes never change, so browsers may keep them.
        if (item is not null && files.Existing(item) is { } path) return Serve(context, item, path, TimeSpan.FromDays(30));
        var name = context.Request.Query["name"];
        return item?.Kind == MediaKind.Avatar || name.Count > 0 ? Placeholder.Avatar(context, name.FirstOrDefault() is { Length: > 0 } n ? n : key)
            : Placeholder.Image(context);
    }

    static IResult Serve(HttpContext context, MediaItem item, string path, TimeSpan cache)
    {
        context.Response.Headers.CacheControl = $"public, max-age={(long)cache.TotalSeconds}";
        // Range requests let a video start at any point; the ETag names the row, which changes if the file is refetched.
        var tag = new EntityTagHeaderValue($"\"{item.FetchedAt.Ticks:x}-{item.Bytes:x}\"");
        return Results.File(path, item.ContentType, lastModified: item.FetchedAt, entityTag: tag, enableRangeProcessing: true);
    }
}
