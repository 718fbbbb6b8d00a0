using System.Net;
using Microsoft.Extensions.Options;

namespace DailyPapers.Media;

/// <summary>The answer to one thumbnail: a row to store, or Later when the source should be asked again another time.</summary>
public sealed record ThumbnailResult(MediaItem? Item, string? Later);

/// <summary>
/// A paper's thumbnail: its PDF fetched from Media:PdfBaseUrl (read no further than Media:MaxPdfBytes) into a
/// temporary file, the first page rendered by pdftoppm, the PNG moved into place. The pause between requests is the
/// caller's (MediaWork), which knows when the previous one was.
/// </summary>
public sealed class PdfThumbnails(HttpClient http, MediaFiles files, Pdftoppm pdftoppm, IOptions<AppOptions> options)
{
    MediaOptions Settings => options.Value.Media;

    public async Task<ThumbnailResult> RenderAsync(string executable, string paperId, DateTime now, CancellationToken ct)
    {
        var url = Settings.PdfBaseUrl + paperId;
        MediaItem Row(string status, string? error = null, long bytes = 0) => new()
        {
            Key = MediaUrls.ThumbnailKey(paperId), Kind = MediaKind.Thumbnail, SourceUrl = url, Status = status, Error = error,
            Bytes = bytes, ContentType = status == MediaItem.Stored ? "image/png" : null, FetchedAt = now,
        };
        var pdf = files.Temp(".pdf");
        var png = files.Temp(".png");
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
            // arXiv asking to slow down, or down: nothing is wrong with this paper, so nothing is recorded.
            if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable || (int)response.StatusCode >= 500)
                return new(null, $"{url}: HTTP {(int)response.StatusCode}");
            if (!response.IsSuccessStatusCode) return new(Row(MediaItem.Failed, $"HTTP {(int)response.StatusCode}"), null);
            if (await MediaFiles.CopyCappedAsync(response, pdf, Settings.MaxPdfBytes, ct) is not { } size)
                return new(Row(MediaItem.TooLarge, $"over {Settings.MaxPdfBytes} bytes"), null);
            if (await pdftoppm.RenderAsync(executable, pdf, png, ct) is { } error) return new(Row(MediaItem.Failed, error, size), null);
            var stored = new FileInfo(png).Length;
            MediaFiles.MoveIntoPlace(png, files.Thumbnail(paperId));
            return new(Row(MediaItem.Stored, bytes: stored), null);
        }
        catch (HttpRequestException ex) { return new(null, $"{url}: {ex.Message}"); }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested) { return new(Row(MediaItem.Failed, "timed out"), null); }
        finally
        {
            MediaFiles.Delete(pdf);
            MediaFiles.Delete(png);
        }
    }
}
