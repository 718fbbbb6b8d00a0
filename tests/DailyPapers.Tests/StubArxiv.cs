using System.Net;

namespace DailyPapers.Tests;

/// <summary>Stands in for arXiv over HTTP: answers each request with the next queued response, and keeps the URLs.</summary>
public sealed class StubArxiv : HttpMessageHandler
{
    readonly Queue<Func<HttpResponseMessage>> answers = new();
    public List<string> Requests { get; } = [];

    public StubArxiv Serve(string fixture) => Then(() => new HttpResponseMessage(HttpStatusCode.OK)
    {
        Content = new StringContent(File.ReadAllText(Fixture.Path(fixture)), System.Text.Encoding.UTF8, "text/xml"),
    });

    /// <summary>A recorded arXiv API answer ({url, status_code, body}): its body, with its status.</summary>
    public StubArxiv ServeRecorded(string fixture) => Then(() =>
    {
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Fixture.Path(fixture)));
        return new HttpResponseMessage((HttpStatusCode)doc.RootElement.GetProperty("status_code").GetInt32())
        {
            Content = new StringContent(doc.RootElement.GetProperty("body").GetString()!, System.Text.Encoding.UTF8, "application/atom+xml"),
        };
    });

    public StubArxiv Status(HttpStatusCode status, TimeSpan? retryAfter = null) => Then(() =>
    {
        var response = new HttpResponseMessage(status);
        if (retryAfter is { } wait) response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(wait);
        return response;
    });

    public StubArxiv Then(Func<HttpResponseMessage> answer)
    {
        answers.Enqueue(answer);
        return this;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        Requests.Add(request.RequestUri!.AbsoluteUri);
        if (answers.Count == 0) throw new HttpRequestException("stub arXiv: no answer queued for " + request.RequestUri);
        return Task.FromResult(answers.Dequeue()());
    }
}
