using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DailyPapers.Tests.InBrowser;

[Collection("browser")]
public class ReadingTests(BrowserHub hub)
{
    [Theory]
    [WithAndWithoutScript]
    public async Task AReaderGoesFromTheLatestDayToThePreviousOneToAPaperThenSearchesWithFilters(bool script)
    {
        await using var scope = new BrowserHub.Scope();
        var page = await hub.PageAsync(scope, script);
        await page.GotoAsync("/");
        await Expect(page.Locator("nav.periods h2")).ToContainTextAsync("21 August 2026");

        await page.Locator("nav.periods a[rel=prev]").ClickAsync();
        await Expect(page).ToHaveURLAsync(hub.BaseUrl + "/papers?date=2026-08-20");
        await Expect(page.Locator("nav.periods h2")).ToContainTextAsync("20 August 2026");
        var first = page.Locator("ol.papers li.card a.title").First;
        var title = await first.TextContentAsync();

        await first.ClickAsync();
        await Expect(page.Locator("article.paper h1")).ToHaveTextAsync(title!.Trim());

        await SearchWithFiltersAsync(page);
        await Expect(page.Locator("ol.papers a.title")).ToHaveTextAsync(
            ["MemTrapBench: Benchmarking Cognitive Traps in LLM Memory Use", "EnvHarness: Awakening Static Worlds for Agent Learning"],
            new() { UseInnerText = true });
    }

    /// <summary>
    /// From the header's box to the search page, then every filter: published on 20 August, arXiv category cs.CL, with
    /// code. Of the papers about benchmarks, only two carry cs.CL (see Seed.Categories) and both have code; the one
    /// with the word in its title ranks first.
    /// </summary>
    static async Task SearchWithFiltersAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search papers" }).FillAsync("benchmarks");
        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search papers" }).PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex(@"/search\?q=benchmarks$"));
        var form = page.Locator("main form.search");
        await form.Locator("summary", new() { HasText = "Filters" }).ClickAsync();
        await form.GetByLabel("From").FillAsync("2026-08-20");
        await form.GetByLabel("To").FillAsync("2026-08-20");
        await form.GetByLabel("arXiv category").FillAsync("cs.CL");
        await form.GetByLabel("with code").CheckAsync();
        await form.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("has_code=true"));
        await Expect(form.GetByLabel("arXiv category")).ToHaveValueAsync("cs.CL");
    }
}
