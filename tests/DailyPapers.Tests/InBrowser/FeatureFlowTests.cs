using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DailyPapers.Tests.InBrowser;

/// <summary>
/// Features that once were API calls only, done from their pages: a comment's own page, saving into collections,
/// following an author from a paper into For you, and roles from /admin.
/// </summary>
[Collection("browser")]
public class FeatureFlowTests(BrowserHub hub)
{
    [Theory]
    [WithAndWithoutScript]
    public async Task AnAuthorEditsTheirCommentThenDeletesItOnItsOwnPage(bool script)
    {
        await using var scope = new BrowserHub.Scope();
        var page = await hub.PageAsync(scope, script);
        const string paper = "/papers/2608.19891";
        await BrowserHub.SignInAsync(page, await hub.AccountAsync("Ola"), paper);
        var word = Word("revised");
        await page.GetByLabel("Add a comment (Markdown)").FillAsync("A first take.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Comment", Exact = true }).ClickAsync();
        var id = Regex.Match(page.Url, @"#c(\d+)$").Groups[1].Value;

        await page.Locator($"#c{id}").GetByRole(AriaRole.Link, new() { Name = "edit, delete or report" }).ClickAsync();
        await Expect(page).ToHaveURLAsync($"{hub.BaseUrl}/comments/{id}");
        await page.Locator("textarea[name=body]").FillAsync($"A second take, **{word}**.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync($"{hub.BaseUrl}{paper}#c{id}");
        await Expect(page.Locator($"#c{id} .body strong")).ToHaveTextAsync(word);
        await Expect(page.Locator($"#c{id} .meta")).ToContainTextAsync("edited");

        await page.GotoAsync($"/comments/{id}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync($"{hub.BaseUrl}{paper}#comments"); // back to the thread it was in
        await Expect(page.Locator("li.comment", new() { HasText = word })).ToHaveCountAsync(0);
    }

    [Theory]
    [WithAndWithoutScript]
    public async Task AReaderBookmarksAPaperIntoANewCollectionThenAnotherIntoTheSameOne(bool script)
    {
        await using var scope = new BrowserHub.Scope();
        var page = await hub.PageAsync(scope, script);
        var name = Word("To read");
        await BrowserHub.SignInAsync(page, await hub.AccountAsync("Pia"), "/papers/2608.13489");

        await page.GetByRole(AriaRole.Link, new() { Name = "Save to a collection" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(hub.BaseUrl + "/papers/2608.13489/save");
        await page.Locator("input[name=name]").FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create and save" }).ClickAsync();

        await page.GotoAsync("/papers/2608.13552");
        await page.GetByRole(AriaRole.Link, new() { Name = "Save to a collection" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = $"Save to {name}" }).ClickAsync();
        Assert.Equal(["2608.13489", "2608.13552"], (await CollectionPapersAsync(page, name)).Order());
    }

    [Theory]
    [WithAndWithoutScript]
    public async Task AReaderFollowsAnAuthorFromAPaperAndFindsThePaperFirstInForYou(bool script)
    {
        await using var scope = new BrowserHub.Scope();
        var page = await hub.PageAsync(scope, script);
        const string author = "Manwen Liao"; // first author of 2608.14783, on no other paper of the fixtures
        await BrowserHub.SignInAsync(page, await hub.AccountAsync("Quinn"), "/papers/2608.14783");

        await page.Locator("article.paper .authors").GetByRole(AriaRole.Link, new() { Name = author, Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/authors/Manwen(%20|\+)Liao$"));
        await page.GetByRole(AriaRole.Button, new() { Name = $"Follow {author}" }).ClickAsync();

        await page.GotoAsync("/for-you");
        var first = page.Locator("ol.papers li.card").First;
        await Expect(first.Locator("a.title")).ToHaveTextAsync("MegaParts: Scaling Part-Aware 3D Object Generation to 300 Parts via Token-Efficient Autoregressive Modeling", new() { UseInnerText = true });
        await Expect(first.Locator(".meta")).ToContainTextAsync("matches what you follow");
    }

    [Theory]
    [WithAndWithoutScript]
    public async Task AnAdminMakesAMemberAModeratorFromTheAdminPage(bool script)
    {
        await using var scope = new BrowserHub.Scope();
        var member = await hub.AccountAsync("Rui");
        var admin = await hub.PageAsync(scope, script);
        await BrowserHub.SignInAsync(admin, hub.AdminEmail, "/admin");

        var row = admin.Locator("main li, main tr").Filter(new() { HasText = member });
        await row.Locator("select[name=role]").SelectOptionAsync("moderator");
        await row.GetByRole(AriaRole.Button, new() { Name = "Change role" }).ClickAsync();
        await Expect(admin).ToHaveURLAsync(new Regex("/admin"));

        // The new role counts: the member's next request may read the moderators' queue.
        var moderator = await hub.PageAsync(scope, script);
        await BrowserHub.SignInAsync(moderator, member);
        Assert.Equal(200, (await moderator.APIRequest.GetAsync("/api/moderation/reports")).Status);
    }

    /// <summary>The papers of the reader's collection of that name, through the API with the page's session cookie.</summary>
    static async Task<IEnumerable<string>> CollectionPapersAsync(IPage page, string name)
    {
        var mine = await (await page.APIRequest.GetAsync("/api/collections")).JsonAsync();
        var id = mine!.Value.EnumerateArray().Single(c => c.GetProperty("name").GetString() == name).GetProperty("id").GetInt64();
        var collection = await (await page.APIRequest.GetAsync($"/api/collections/{id}")).JsonAsync();
        return collection!.Value.GetProperty("papers").EnumerateArray().Select(p => p.GetProperty("id").GetString()!);
    }

    static string Word(string prefix) => $"{prefix} {Guid.NewGuid().ToString("N")[..6]}";
}
