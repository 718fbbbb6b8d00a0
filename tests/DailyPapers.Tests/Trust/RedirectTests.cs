using System.Net;
using DailyPapers.Tests.Community;

namespace DailyPapers.Tests.Trust;

/// <summary>
/// Every redirect target that comes from a request (back=, ReturnUrl) passes ASP.NET Core's own IsLocalUrl rule or
/// falls back; and signing in brings the reader back to where they were.
/// </summary>
public class RedirectTests
{
    const string Paper = "2608.19880";

    static async Task<(AppFactory App, Browser Browser)> SignedInAsync()
    {
        var app = new AppFactory().With("Digest:Schedule", "false");
        await app.ImportAsync("hf/2026-08-21.jsonl");
        var browser = new Browser(app);
        await browser.SignUpAsync("reader@example.org");
        await browser.SignInAsync("reader@example.org");
        return (app, browser);
    }

    [Theory]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("/\t/evil.example")]
    [InlineData("/\\/evil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("/ok\r\nSet-Cookie: x=1")]
    [InlineData("")]
    public async Task AVoteSentBackElsewhereLandsOnThePaper(string back)
    {
        var (app, browser) = await SignedInAsync();
        await using var _ = app;
        var r = await browser.PostAsync($"/papers/{Paper}/upvote", new() { ["back"] = back }, "/");
        Assert.True(Browser.IsRedirectTo(r, $"/papers/{Paper}"), $"{(int)r.StatusCode} {r.Headers.Location}");
        Assert.Equal($"/papers/{Paper}", r.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task SigningInReturnsToThePageThatAskedForIt()
    {
        await using var app = new AppFactory().With("Digest:Schedule", "false");
        await new Browser(app).SignUpAsync("reader@example.org");
        var browser = new Browser(app);
        Assert.True(Browser.IsRedirectTo(await browser.Client.GetAsync("/for-you"), "/account/signin?ReturnUrl=%2Ffor-you"));
        Assert.Contains("name=\"ReturnUrl\" value=\"/for-you\"", await browser.Client.GetStringAsync("/account/signin?ReturnUrl=%2Ffor-you"));
        var signin = await browser.PostAsync("/account/signin", new() { ["email"] = "reader@example.org", ["password"] = "correct horse battery", ["ReturnUrl"] = "/for-you" });
        Assert.True(Browser.IsRedirectTo(signin, "/for-you"));
    }

    [Theory]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example/account")]
    public async Task AReturnUrlElsewhereIsIgnored(string returnUrl)
    {
        await using var app = new AppFactory().With("Digest:Schedule", "false");
        await new Browser(app).SignUpAsync("reader@example.org");
        var browser = new Browser(app);
        // The form does not carry it on (the page's own address, which the subscribe box echoes, is another matter).
        Assert.DoesNotContain("name=\"ReturnUrl\"", await browser.Client.GetStringAsync("/account/signin?ReturnUrl=" + Uri.EscapeDataString(returnUrl)));
        var signin = await browser.PostAsync("/account/signin", new() { ["email"] = "reader@example.org", ["password"] = "correct horse battery", ["ReturnUrl"] = returnUrl });
        Assert.Equal("/account", signin.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task ACommentClickWhileSignedOutComesBackToTheThread()
    {
        await using var app = new AppFactory().With("Digest:Schedule", "false");
        await app.ImportAsync("hf/2026-08-21.jsonl");
        var browser = new Browser(app);
        var page = await browser.Client.GetStringAsync($"/papers/{Paper}");
        Assert.Contains($"href=\"/account/signin?ReturnUrl=%2Fpapers%2F{Paper}%23comments\"", page);
        var r = await browser.PostAsync($"/papers/{Paper}/comments", new() { ["body"] = "hello" }, $"/papers/{Paper}");
        Assert.True(Browser.IsRedirectTo(r, $"/account/signin?ReturnUrl=%2Fpapers%2F{Paper}%23comments"));
    }
}
