using System.Net;
using System.Net.Http.Headers;

namespace DailyPapers.Tests.Media;

/// <summary>Stands in for the hosts PDFs and media come from: answers by URL (404 for any other), keeps the URLs asked.</summary>
public sealed class StubMedia : HttpMessageHandler
{
    readonly Dictionary<string, Func<HttpResponseMessage>> answers = [];
    readonly List<string> requests = [];

    public IReadOnlyList<string> Requests { get { lock (requests) return [.. requests]; } }

    /// <summary>Serves bytes with a declared type; without a length, as a server streaming a body of unknown size would.</summary>
    public StubMedia Serve(string url, byte[] body, string? type, bool withLength = true) => Answer(url, () =>
    {
        var content = new ByteArrayContent(body);
        if (type is not null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
        if (!withLength) content.Headers.ContentLength = null;
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    });

    public StubMedia Answer(string url, Func<HttpResponseMessage> answer)
    {
        answers[url] = answer;
        return this;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var url = request.RequestUri!.AbsoluteUri;
        lock (requests) requests.Add(url);
        return Task.FromResult(answers.TryGetValue(url, out var answer) ? answer() : new HttpResponseMessage(HttpStatusCode.NotFound));
    }
}
