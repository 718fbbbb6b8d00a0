using System.Text.Json;
using DailyPapers.Papers;
using Microsoft.Extensions.Options;

namespace DailyPapers.Web;

public static class Http
{
    /// <summary>Request bodies are read with one shared options object: a new one per call would rebuild its caches.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// A small JSON body, read no further than maxBytes whatever Content-Length says; null when it is larger, is
    /// not JSON, or is not the shape expected (the caller says which shape in its 400).
    /// </summary>
    public static async Task<T?> ReadJsonAsync<T>(HttpContext context, int maxBytes, CancellationToken ct) where T : class
    {
        if (context.Request.ContentLength > maxBytes) return null;
        try
        {
            using var limited = new LimitedStream(context.Request.Body, maxBytes);
            return await JsonSerializer.DeserializeAsync<T>(limited, Json, ct);
        }
        catch (Exception ex) when (ex is JsonException or LimitedStream.TooLargeException) { return null; }
    }

    /// <summary>The API's error body, {"error": "…"}, with its status.</summary>
    public static IResult Error(int status, string message) => Results.Json(new ApiError(message), statusCode: status);

    /// <summary>Absolute base of links in feeds and mails: PublicUrl when set (behind a proxy), else the request's.</summary>
    public static string BaseUrl(HttpContext context)
    {
        var configured = context.RequestServices.GetRequiredService<IOptions<AppOptions>>().Value.PublicUrl;
        if (!string.IsNullOrWhiteSpace(configured)) return configured.TrimEnd('/');
        var r = context.Request;
        return $"{r.Scheme}://{r.Host}{r.PathBase}";
    }

    /// <summary>The current URL with some query parameters replaced (null removes one).</summary>
    public static string With(HttpRequest request, params (string Key, string? Value)[] changes)
    {
        var query = request.Query.ToDictionary(kv => kv.Key, kv => kv.Value.ToString());
        foreach (var (key, value) in changes)
        {
            if (value is null) query.Remove(key);
            else query[key] = value;
        }
        return request.PathBase + request.Path + QueryString.Create(query!);
    }
}

/// <summary>A read-only view of the request body that stops at a limit, whatever Content-Length claimed.</summary>
sealed class LimitedStream(Stream inner, long limit) : Stream
{
    public sealed class TooLargeException : Exception;

    long read;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        var n = await inner.ReadAsync(buffer, ct);
        if ((read += n) > limit) throw new TooLargeException();
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => read; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
