using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DailyPapers.Tests.InBrowser;

[Collection("browser")]
public class AccountFlowTests(BrowserHub hub)
{
    [Theory]
    [WithAndWithoutScript]
    public async Task ANewReaderSignsUpThenSignsInFromAPageThatNeedsItAndLandsBackOnIt(bool script)
    {
        await using var scope = new BrowserHub.Scope();
        var page = await hub.PageAsync(scope, script);
        var email = $"newcomer-{Guid.NewGuid():N}@example.org";
        await page.GotoAsync("/account/signup");
        var form = page.Locator("main form[action='/account/signup']");
        await form.GetByLabel("Email").FillAsync(email);
        await form.GetByLabel("Display name").FillAsync("Grace");
        await form.GetByLabel("Password").FillAsync(BrowserHub.Password);
        await form.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("You can sign in already.");

        await page.GotoAsync("/for-you");
        await Expect(page).ToHaveURLAsync(hub.BaseUrl + "/account/signin?ReturnUrl=%2Ffor-you");
        await BrowserHub.SubmitSignInAsync(page, email);
        await Expect(page).ToHaveURLAsync(hub.BaseUrl + "/for-you");
        await Expect(page.Locator("main h1")).ToHaveTextAsync("For you");
        // With script, the header names the reader (from /api/me); without, the plain Account link stays.
        if (script) await Expect(page.Locator("#me a[href='/account']")).ToHaveTextAsync("Grace");
    }

    [Theory]
    [WithAndWithoutScript]
    public async Task TheSignInLinkUnderTheCommentsReturnsToThePapersComments(bool script)
    {
        await using var scope = new BrowserHub.Scope();
        var page = await hub.PageAsync(scope, script);
        var email = await hub.AccountAsync("Lin");
        await page.GotoAsync("/papers/2608.19758");

        await page.Locator("form[data-draft]").GetByRole(AriaRole.Link, new() { Name = "sign in" }).ClickAsync();
        await BrowserHub.SubmitSignInAsync(page, email);
        await Expect(page).ToHaveURLAsync(hub.BaseUrl + "/papers/2608.19758#comments");
        await Expect(page.Locator("article.paper h1")).ToContainTextAsync("FlashPrefill V2");
    }
}
