using System.Net;
using System.Net.Http.Headers;

namespace DailyPapers.Tests.HuggingFace;

/// <summary>Hugging Face's addresses that people bookmark, and a paper page asked for as Markdown.</summary>
public sealed class UrlFormTests
{
    [Theory]
    [InlineData("/papers/date/2025-10-29", "/papers?date=2025-10-29")]
    [InlineData("/papers/week/2025-W44", "/papers?week=2025-W44")]
    [InlineData("/papers/month/2025-10", "/papers?month=2025-10")]
    [InlineData("/papers/trending", "/trending")]
    public async Task HuggingFacesAddressesRedirectToOurs(string theirs, string ours)
    {
        await using var app = new AppFactory();
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        var response = await client.GetAsync(theirs);
        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(ours, response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("/papers/date/2025-13-45", "date")]
    [InlineData("/papers/week/2025-W60", "week")]
    [InlineData("/papers/month/last", "month")]
    public async Task ABadPeriodInThemIsA400NamingIt(string url, string named)
    {
        await using var app = new AppFactory();
        var response = await app.CreateClient(new() { AllowAutoRedirect = false }).GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(named, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("text/markdown", true)]
    [InlineData("text/markdown, text/html;q=0.5", true)]
    [InlineData("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", false)]
    [InlineData("*/*", false)]
    [InlineData(null, false)]
    public async Task APaperPageAnswersMarkdownToWhoeverAsksForIt(string? accept, bool markdown)
    {
        await using var app = new AppFactory();
        await app.ImportAsync("hf/2026-08-21.jsonl");
        var client = app.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Get, "/papers/2608.13210");
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Accept", response.Headers.Vary);
        var body = await response.Content.ReadAsStringAsync();
        if (markdown)
        {
            Assert.Equal("text/markdown", response.Content.Headers.ContentType!.MediaType);
            Assert.Equal(await client.GetStringAsync("/papers/2608.13210.md"), body);
        }
        else Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
    }
}
