using System.Net;
using DailyPapers.Tests.Community;

namespace DailyPapers.Tests.Programs;

/// <summary>The read-only API is open to scripts on any site; writes are not, so cookies and CSRF stay same-origin.</summary>
public sealed class CorsTests
{
    const string Origin = "https://elsewhere.example";

    [Theory]
    [InlineData("GET", "/api/daily_papers", HttpStatusCode.OK)]
    [InlineData("HEAD", "/api/daily_papers", HttpStatusCode.MethodNotAllowed)] // minimal APIs map GET alone; the refusal is readable too
    [InlineData("GET", "/api/papers/2405.15738", HttpStatusCode.OK)]
    [InlineData("GET", "/api/papers/2405.99999", HttpStatusCode.NotFound)]
    [InlineData("GET", "/api/daily_papers?date=nope", HttpStatusCode.BadRequest)]
    public async Task ReadsAnswerAnyOrigin(string method, string url, HttpStatusCode status)
    {
        await using var app = new AppFactory();
        await app.ImportAsync("hf/2024-05-27.jsonl");
        var response = await app.CreateClient().SendAsync(WithOrigin(method, url));
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("*", Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains("Link", Header(response, "Access-Control-Expose-Headers"));
    }

    [Fact]
    public async Task APreflightForAReadIsAllowed()
    {
        await using var app = new AppFactory();
        var request = WithOrigin("OPTIONS", "/api/papers/search?q=agents");
        request.Headers.Add("Access-Control-Request-Method", "GET");
        request.Headers.Add("Access-Control-Request-Headers", "authorization");
        var response = await app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal("GET, HEAD", Header(response, "Access-Control-Allow-Methods"));
        Assert.Contains("Authorization", Header(response, "Access-Control-Allow-Headers"));
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    public async Task APreflightForAWriteGetsNoCors(string method)
    {
        await using var app = new AppFactory();
        var request = WithOrigin("OPTIONS", "/api/papers/2405.15738/upvote");
        request.Headers.Add("Access-Control-Request-Method", method);
        var response = await app.CreateClient().SendAsync(request);
        Assert.NotEqual(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
        Assert.Null(Header(response, "Access-Control-Allow-Methods"));
    }

    [Fact]
    public async Task WritesGetNoCorsEvenWhenTheyWork()
    {
        await using var app = new AppFactory();
        await app.ImportAsync("hf/2024-05-27.jsonl");
        var (_, token) = await Browser.UserWithTokenAsync(app, "reader@example.org");
        var request = WithOrigin("POST", "/api/papers/2405.15738/upvote");
        request.Headers.Add("Authorization", "Bearer " + token);
        var response = await app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task PagesGetNoCors()
    {
        await using var app = new AppFactory();
        var response = await app.CreateClient().SendAsync(WithOrigin("GET", "/papers"));
        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
    }

    static HttpRequestMessage WithOrigin(string method, string url)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        request.Headers.Add("Origin", Origin);
        return request;
    }

    static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(", ", values) : null;
}
