using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DailyPapers.Tests.InBrowser;

[Collection("browser")]
public class CommentFlowTests(BrowserHub hub)
{
    [Theory]
    [WithAndWithoutScript]
    public async Task ACommentWrittenInMarkdownShowsUnderThePaperFormatted(bool script)
    {
        await using var scope = new BrowserHub.Scope();
        var page = await hub.PageAsync(scope, script);
        const string paper = "/papers/2608.19854";
        await BrowserHub.SignInAsync(page, await hub.AccountAsync("Mae"), paper);
        var word = "ablation" + Guid.NewGuid().ToString("N")[..6];

        await page.GetByLabel("Add a comment (Markdown)").FillAsync($"Worth reading for the **{word}** alone.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Comment", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/papers/2608\.19854#c\d+$"));
        var comment = page.Locator("li.comment", new() { HasText = word });
        await Expect(comment.Locator(".body strong")).ToHaveTextAsync(word);
        await Expect(comment.Locator(".meta")).ToContainTextAsync("Mae");
    }
}
