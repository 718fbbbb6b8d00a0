using Microsoft.Extensions.Options;

namespace DailyPapers.Media;

/// <summary>A remote file the data names: its resolved address (MediaUrls.Resolve) and what it is for.</summary>
public sealed record MediaSource(string Url, string Kind)
{
    public string Key => MediaUrls.Key(Url);

    /// <summary>What a daily entry or a paper names: Hugging Face's thumbnail, the submitter's and organisation's avatars, the media.</summary>
    public static IEnumerable<MediaSource> In(string? thumbnail, string? submitter, string? organization, string? mediaUrls)
    {
        if (MediaUrls.Resolve(thumbnail) is { } t) yield return new(t, MediaKind.Image);
        foreach (var (json, field) in new[] { (submitter, "avatarUrl"), (organization, "avatar") })
            if (json is not null && MediaUrls.Resolve(Json.Text(Json.Object(json), field)) is { } avatar) yield return new(avatar, MediaKind.Avatar);
        foreach (var m in Json.Strings(mediaUrls))
            if (MediaUrls.Resolve(m) is { } url) yield return new(url, MediaTypes.KindOf(url));
    }
}

/// <summary>
/// Fetches a copy of a remote image, avatar or video named in the data, when Media:FetchRemote allows it: http(s)
/// to public addresses only (AddressGuard), at most Media:MaxImageBytes (videos Media:MaxVideoBytes), and kept only
/// when its bytes are one of the allowed formats (MediaTypes). Every outcome is a row, so nothing is fetched twice.
/// </summary>
public sealed class RemoteMedia(HttpClient http, MediaFiles files, IOptions<AppOptions> options)
{
    MediaOptions Settings => options.Value.Media;

    public async Task<MediaItem> FetchAsync(MediaSource source, DateTime now, CancellationToken ct)
    {
        var row = new MediaItem { Key = source.Key, Kind = source.Kind, SourceUrl = source.Url, Status = MediaItem.Failed, FetchedAt = now };
        if (!Settings.AllowPrivateAddresses && await AddressGuard.RefusalAsync(new Uri(source.Url), ct) is { } refusal)
            return Fail(row, refusal);
        var temp = files.Temp();
        try { return await DownloadAsync(source, row, temp, ct); }
        catch (HttpRequestException ex) { return Fail(row, ex.Message); }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested) { return Fail(row, "timed out"); }
        finally { MediaFiles.Delete(temp); }
    }

    async Task<MediaItem> DownloadAsync(MediaSource source, MediaItem row, string temp, CancellationToken ct)
    {
        using var response = await http.GetAsync(source.Url, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode) return Fail(row, $"HTTP {(int)response.StatusCode}");
        var declared = response.Content.Headers.ContentType?.MediaType;
        if (!MediaTypes.Plausible(declared)) return Fail(row, $"refused: {declared ?? "no content type"} is not an allowed image or video type");
        var video = source.Kind != MediaKind.Avatar && MediaTypes.IsVideo(declared!.ToLowerInvariant());
        var cap = video ? Settings.MaxVideoBytes : Settings.MaxImageBytes;
        if (await MediaFiles.CopyCappedAsync(response, temp, cap, ct) is not { } size) return Fail(row, $"over {cap} bytes", MediaItem.TooLarge);
        var type = MediaFiles.SniffFile(temp);
        if (type is null) return Fail(row, $"refused: the bytes are none of {string.Join(", ", MediaTypes.Allowed)} (declared {declared})");
        if (MediaTypes.IsVideo(type) && source.Kind == MediaKind.Avatar) return Fail(row, $"refused: an avatar must be an image, not {type}");
        // Declared an image but the bytes are a video (or the reverse): the cap of what it is applies.
        if (size > (MediaTypes.IsVideo(type) ? Settings.MaxVideoBytes : Settings.MaxImageBytes)) return Fail(row, $"over the cap for {type}", MediaItem.TooLarge);
        MediaFiles.MoveIntoPlace(temp, files.Remote(row.Key));
        row.Status = MediaItem.Stored;
        row.ContentType = type;
        row.Bytes = size;
        if (source.Kind != MediaKind.Avatar) row.Kind = MediaTypes.IsVideo(type) ? MediaKind.Video : MediaKind.Image;
        return row;
    }

    static MediaItem Fail(MediaItem row, string error, string status = MediaItem.Failed)
    {
        row.Status = status;
        row.Error = error.Length > 500 ? error[..500] : error;
        return row;
    }
}
