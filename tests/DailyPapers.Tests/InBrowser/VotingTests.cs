using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DailyPapers.Tests.InBrowser;

/// <summary>The ▲ button on a paper page. Each test votes on its own paper: the app is shared by the whole class.</summary>
[Collection("browser")]
public class VotingTests(BrowserHub hub)
{
    [Fact]
    public async Task WithScriptAnUpvoteCountsInPlaceAndIsStillPressedAfterAReload()
    {
        await using var scope = new BrowserHub.Scope();
        var page = await hub.PageAsync(scope);
        const string paper = "/papers/2608.20335";
        await BrowserHub.SignInAsync(page, await hub.AccountAsync("Ines"), paper);
        await ReadyAsync(page);
        var count = await CountAsync(page);
        // A mark on this document: a navigation (the form posted after all) would drop it.
        await page.EvaluateAsync("() => { window.stayedOnThePage = true; }");

        await Button(page).ClickAsync();
        await Expect(Button(page).Locator("span")).ToHaveTextAsync((count + 1).ToString());
        await Expect(Button(page)).ToHaveAttributeAsync("aria-pressed", "true");
        Assert.True(await page.EvaluateAsync<bool>("() => window.stayedOnThePage === true"));

        await page.ReloadAsync();
        await Expect(Button(page)).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(Button(page).Locator("span")).ToHaveTextAsync((count + 1).ToString());
    }

    [Fact]
    public async Task WithoutScriptAnUpvotePostsTheFormAndThePageComesBackCounted()
    {
        await using var scope = new BrowserHub.Scope();
        var page = await hub.PageAsync(scope, script: false);
        const string paper = "/papers/2608.20336";
        await BrowserHub.SignInAsync(page, await hub.AccountAsync("Jon"), paper);
        var count = await CountAsync(page);

        await Button(page).ClickAsync();
        await Expect(page).ToHaveURLAsync(hub.BaseUrl + paper);
        await Expect(Button(page).Locator("span")).ToHaveTextAsync((count + 1).ToString());
    }

    [Theory]
    [InlineData(true, "/papers/2608.19799")]
    [InlineData(false, "/papers/2608.18580")]
    public async Task AnUpvoteClickedSignedOutIsCastOnceTheReaderHasSignedIn(bool script, string paper)
    {
        await using var scope = new BrowserHub.Scope();
        var page = await hub.PageAsync(scope, script);
        var email = await hub.AccountAsync("Kai");
        await page.GotoAsync(paper);
        var count = await CountAsync(page);

        await Button(page).ClickAsync();
        await Expect(page).ToHaveURLAsync(hub.BaseUrl + "/account/signin?ReturnUrl=" + Uri.EscapeDataString(paper));
        await BrowserHub.SubmitSignInAsync(page, email);
        await Expect(page).ToHaveURLAsync(hub.BaseUrl + paper);
        await Expect(Button(page).Locator("span")).ToHaveTextAsync((count + 1).ToString());
        if (script) await Expect(Button(page)).ToHaveAttributeAsync("aria-pressed", "true");
    }

    static ILocator Button(IPage page) => page.Locator("article.paper form.upvote button");

    static async Task<int> CountAsync(IPage page) => int.Parse((await Button(page).Locator("span").TextContentAsync())!);

    /// <summary>
    /// Until /api/me has answered, the script does not know the reader and lets the form post: the header naming the
    /// reader is the sign that it knows.
    /// </summary>
    static Task ReadyAsync(IPage page) => Expect(page.Locator("#me a[href='/account']")).ToBeAttachedAsync();
}
