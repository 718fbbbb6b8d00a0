using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace DailyPapers.Web;

/// <summary>
/// A shared page (Layout's Shared: lists, papers, search, discovery; the same for every reader) rendered in memory
/// and written in one piece, with its length. RazorComponentResult streams through Blazor's endpoint renderer, which
/// keeps every piece of text in chunk pages (a quarter of the search page's allocations) and writes them to the
/// response in many small writes, each taking the response pipe's lock. The HTML is the same byte for byte. A shared
/// page holds nothing of the reader, so it needs nothing the endpoint renderer adds: a page with a form of the
/// reader's (an antiforgery token) stays a RazorComponentResult.
/// </summary>
public sealed class HtmlPage<TComponent>(object? parameters = null) : IResult where TComponent : IComponent
{
    public int StatusCode { get; init; } = StatusCodes.Status200OK;

    public async Task ExecuteAsync(HttpContext context)
    {
        var services = context.RequestServices;
        using var html = new PooledWriter();
        await using (var renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>()))
            await renderer.Dispatcher.InvokeAsync(async () =>
            {
                var root = await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(new Microsoft.AspNetCore.Routing.RouteValueDictionary(parameters)));
                root.WriteHtmlTo(html);
            });
        var response = context.Response;
        response.StatusCode = StatusCode;
        response.ContentType = "text/html; charset=utf-8";
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(html.Text.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(html.Text, bytes);
            response.ContentLength = length;
            await response.Body.WriteAsync(bytes.AsMemory(0, length), context.RequestAborted);
        }
        finally { ArrayPool<byte>.Shared.Return(bytes); }
    }

    /// <summary>
    /// The page's text in a pooled array: a page is 40-60 kB, so a StringBuilder and its string went to the large
    /// object heap on every request.
    /// </summary>
    sealed class PooledWriter : TextWriter
    {
        char[] buffer = ArrayPool<char>.Shared.Rent(32 * 1024);
        int length;

        public override Encoding Encoding => Encoding.UTF8;
        public ReadOnlySpan<char> Text => buffer.AsSpan(0, length);

        public override void Write(char value) => Room(1)[0] = value;
        public override void Write(string? value) => Write(value.AsSpan());
        public override void Write(char[] chars, int index, int count) => Write(chars.AsSpan(index, count));
        public override void Write(ReadOnlySpan<char> chars) => chars.CopyTo(Room(chars.Length));

        Span<char> Room(int count)
        {
            if (length + count > buffer.Length)
            {
                var larger = ArrayPool<char>.Shared.Rent(Math.Max(buffer.Length * 2, length + count));
                Text.CopyTo(larger);
                ArrayPool<char>.Shared.Return(buffer);
                buffer = larger;
            }
            length += count;
            return buffer.AsSpan(length - count, count);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && buffer.Length > 0) ArrayPool<char>.Shared.Return(buffer);
            buffer = [];
            base.Dispose(disposing);
        }
    }
}
