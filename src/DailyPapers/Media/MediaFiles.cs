using Microsoft.Extensions.Options;

namespace DailyPapers.Media;

/// <summary>
/// Where media live: {DataDir}/media/thumbnails/{id}.png (an old-style id's slash made an underscore, which no id
/// holds) and {DataDir}/media/{key} for remote copies. Files are written to media/tmp first and moved into place, so
/// a reader or a killed job never sees half a file.
/// </summary>
public sealed class MediaFiles(IOptions<AppOptions> options)
{
    public string Root => Path.GetFullPath(Path.Combine(options.Value.DataDir, "media"));

    public string Thumbnail(string paperId) => Path.Combine(Root, "thumbnails", paperId.Replace('/', '_') + ".png");

    public string Remote(string key) => Path.Combine(Root, key);

    /// <summary>The file of a stored item, or null when its row says stored but the file is gone (a restore without media).</summary>
    public string? Existing(MediaItem item)
    {
        var path = item.Kind == MediaKind.Thumbnail ? Thumbnail(item.Key["thumbnail:".Length..]) : Remote(item.Key);
        return item.Status == MediaItem.Stored && File.Exists(path) ? path : null;
    }

    /// <summary>A fresh temporary path under media/tmp (same file system as the final place, so the move is atomic).</summary>
    public string Temp(string extension = "")
    {
        var folder = Directory.CreateDirectory(Path.Combine(Root, "tmp")).FullName;
        return Path.Combine(folder, Guid.NewGuid().ToString("N") + extension);
    }

    public static void MoveIntoPlace(string temp, string final)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(final)!);
        File.Move(temp, final, overwrite: true);
    }

    public static void Delete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { } // a temporary file left behind is harmless: the next one has another name
    }

    /// <summary>
    /// Copies a response body to a file, stopping past max bytes: a server that lies about its length, or sends none,
    /// cannot fill the disk. Returns the bytes written, or null when there were more than max.
    /// </summary>
    public static async Task<long?> CopyCappedAsync(HttpResponseMessage response, string path, long max, CancellationToken ct)
    {
        if (response.Content.Headers.ContentLength > max) return null;
        await using var input = await response.Content.ReadAsStreamAsync(ct);
        await using var output = File.Create(path);
        var buffer = new byte[81920];
        long total = 0;
        int n;
        while ((n = await input.ReadAsync(buffer, ct)) > 0)
        {
            total += n;
            if (total > max) return null;
            await output.WriteAsync(buffer.AsMemory(0, n), ct);
        }
        return total;
    }

    public static string? SniffFile(string path)
    {
        var head = new byte[MediaTypes.HeadLength];
        using var f = File.OpenRead(path);
        return MediaTypes.Sniff(head.AsSpan(0, f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)));
    }
}
