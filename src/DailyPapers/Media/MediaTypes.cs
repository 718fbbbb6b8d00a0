namespace DailyPapers.Media;

public static class MediaKind
{
    public const string Thumbnail = "thumbnail";
    public const string Avatar = "avatar";
    public const string Image = "image";
    public const string Video = "video";
}

/// <summary>
/// The formats the hub keeps and serves, recognised by their first bytes, never by what the remote server declared:
/// served with nosniff, the stored type is what the browser gets, so it must be what the bytes are. No SVG (it can
/// carry script) and no HTML, whatever they are called.
/// </summary>
public static class MediaTypes
{
    public static readonly IReadOnlyList<string> Allowed = ["image/png", "image/jpeg", "image/webp", "image/gif", "video/mp4", "video/webm"];

    // ISO media files whose brand says video; AVIF and HEIC images share the container and must not pass as video.
    static readonly HashSet<string> VideoBrands = ["isom", "iso2", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "dash", "M4V ", "qt  ", "3gp4", "3gp5", "mmp4"];

    /// <summary>Bytes needed to recognise every allowed format.</summary>
    public const int HeadLength = 12;

    public static string? Sniff(ReadOnlySpan<byte> head) => head switch
    {
        [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => "image/png",
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [(byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'7' or (byte)'9', (byte)'a', ..] => "image/gif",
        [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => "image/webp",
        [_, _, _, _, (byte)'f', (byte)'t', (byte)'y', (byte)'p', var a, var b, var c, var d, ..] when VideoBrands.Contains(new string([(char)a, (char)b, (char)c, (char)d])) => "video/mp4",
        [0x1A, 0x45, 0xDF, 0xA3, ..] => "video/webm",
        _ => null,
    };

    public static bool IsVideo(string? type) => type?.StartsWith("video/", StringComparison.Ordinal) == true;

    /// <summary>
    /// A declared type worth downloading: an image or a video other than SVG. The bytes decide what it is stored as;
    /// this only spares fetching what says it is a page or a script.
    /// </summary>
    public static bool Plausible(string? declared) =>
        declared is not null && (declared.StartsWith("image/", StringComparison.OrdinalIgnoreCase) || IsVideo(declared.ToLowerInvariant()))
        && !declared.Contains("svg", StringComparison.OrdinalIgnoreCase);

    /// <summary>A guess from the address, before fetching: what the data names as media is a video or an image.</summary>
    public static string KindOf(string url) =>
        Path.GetExtension(new Uri(url).AbsolutePath).ToLowerInvariant() is ".mp4" or ".webm" or ".mov" or ".qt" ? MediaKind.Video : MediaKind.Image;
}
