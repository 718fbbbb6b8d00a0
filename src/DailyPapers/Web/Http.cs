using System.Text.Json;
using DailyPapers.Papers;

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

    /// <summary>
    /// A redirect to a page of this site only: the target must pass ASP.NET Core's own IsLocalUrl rule ("/path", not
    /// "//host", "/\host" or anything with a control character), else the fallback is used. An open redirect would let
    /// a link send people anywhere under our name, and a CR/LF would break the Location header.
    /// </summary>
    public static IResult LocalRedirect(string? target, string fallback) => Results.Redirect(IsLocalUrl(target) ? target! : fallback);

    public static bool IsLocalUrl(string? url) => !string.IsNullOrEmpty(url) && url.Length <= 2048 && LocalUrls.IsLocalUrl(url);

    // The framework's rule lives on UrlHelperBase; a helper over an empty action context asks it without MVC routing.
    static readonly Microsoft.AspNetCore.Mvc.Routing.UrlHelper LocalUrls = new(new Microsoft.AspNetCore.Mvc.ActionContext(
        new DefaultHttpContext(), new Microsoft.AspNetCore.Routing.RouteData(), new Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor()));

    /// <summary>
    /// A posted form, read within limits whatever its framing (Content-Length or chunked, url-encoded or multipart):
    /// at most maxBytes of body and maxFields fields. A form that is malformed, too large, or not a form at all is
    /// refused with a 400, 413 or 415 (raised as BadHttpRequestException and answered in the route's format), never
    /// a 500. Reading it here first also means the antiforgery check, which reads the form too, finds it parsed.
    /// </summary>
    public static async Task<IFormCollection> ReadFormAsync(HttpContext context, int maxBytes = 16 * 1024, int maxFields = 32)
    {
        var request = context.Request;
        if (request.HasFormContentType && context.Features.Get<Microsoft.AspNetCore.Http.Features.IFormFeature>()?.Form is { } read) return read;
        if (!request.HasFormContentType) throw Errors.Bad(415, "expected a form (application/x-www-form-urlencoded or multipart/form-data)");
        if (request.ContentLength > maxBytes) throw Errors.Bad(413, $"the form is larger than {maxBytes} bytes");
        request.Body = new LimitedStream(request.Body, maxBytes);
        var limits = new Microsoft.AspNetCore.Http.Features.FormOptions
        {
            ValueCountLimit = maxFields, KeyLengthLimit = 256, ValueLengthLimit = maxBytes, MultipartBodyLengthLimit = maxBytes,
            MultipartHeadersCountLimit = 8, MultipartHeadersLengthLimit = 4096, MultipartBoundaryLengthLimit = 128,
        };
        IFormCollection form;
        try { form = await request.ReadFormAsync(limits, context.RequestAborted); }
        catch (LimitedStream.TooLargeException) { throw Errors.Bad(413, $"the form is larger than {maxBytes} bytes"); }
        catch (Exception ex) when (ex is InvalidDataException or IOException) { throw Errors.Bad(400, "the form could not be read: " + ex.Message); }
        // Every field of our forms is single: a repeated one would be read as both values joined by a comma.
        if (form.FirstOrDefault(f => f.Value.Count > 1) is { Key: { } repeated }) throw Errors.Bad(400, $"the form has the field '{Ingest.Text.Clip(repeated)}' more than once");
        return form;
    }

    /// <summary>The API's error body, {"error": "…"}, with its status.</summary>
    public static IResult Error(int status, string message) => Results.Json(new ApiError(message), statusCode: status);

    /// <summary>Absolute base of links in feeds and API headers: see SiteAddress for which host is trusted.</summary>
    public static string BaseUrl(HttpContext context) => context.RequestServices.GetRequiredService<SiteAddress>().For(context);

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
