using System.Net;
using DailyPapers.Accounts;
using DailyPapers.Tests.Community;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Tests.Experience;

/// <summary>
/// Every feature from its page, without script: each test drives the forms a browser without JavaScript would post
/// (Browser posts with the page's token, or as a same-origin form for pages that carry none), and checks the result
/// where a reader sees it.
/// </summary>
public class FeaturePagesTests
{
    const string Paper = "2608.19880";

    static async Task<(AppFactory App, Browser Reader)> SignedInAsync(string email = "reader@example.org", string? role = null)
    {
        var app = new AppFactory().With("Digest:Schedule", "false").With("RateLimits:Accounts", "1000");
        await app.ImportAsync("hf/2026-08-21.jsonl");
        await Browser.UserWithTokenAsync(app, "admin@example.org", Roles.Admin); // the first account: the admin
        var reader = new Browser(app);
        await reader.SignUpAsync(email);
        if (role is not null) await app.WithDbAsync(db => db.Users.Where(u => u.Email == email).ExecuteUpdateAsync(u => u.SetProperty(x => x.Role, role)));
        Assert.True(Browser.IsRedirectTo(await reader.SignInAsync(email), "/account"));
        return (app, reader);
    }

    [Fact]
    public async Task ASavedPaperIsInTheCollectionAndCollectionsAreManagedFromTheirPage()
    {
        var (app, reader) = await SignedInAsync();
        await using var _ = app;
        Assert.Contains($"href=\"/papers/{Paper}/save\"", await reader.Client.GetStringAsync("/")); // from any card
        var created = await reader.PostAsync($"/papers/{Paper}/save", new() { ["name"] = "To read", ["public"] = "on" }, $"/papers/{Paper}/save");
        Assert.True(Browser.IsRedirectTo(created, $"/papers/{Paper}/save"));
        var page = await reader.Client.GetStringAsync($"/papers/{Paper}/save");
        Assert.Contains("Saved to “To read”.", page);
        Assert.Contains("Remove from To read", page);
        var id = await app.WithDbAsync(db => db.Collections.Select(c => c.Id).SingleAsync());
        Assert.Contains("EnvHarness", await reader.Client.GetStringAsync($"/collections/{id}"));

        Assert.True(Browser.IsRedirectTo(await reader.PostAsync($"/collections/{id}/change", new() { ["name"] = "Must read" }, "/collections"), "/collections"));
        Assert.True(Browser.IsRedirectTo(await reader.PostAsync($"/collections/{id}/change", new() { ["public"] = "off" }, "/collections"), "/collections"));
        var mine = await reader.Client.GetStringAsync("/collections");
        Assert.Contains("Must read", mine);
        Assert.Contains("private", mine);
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync($"/collections/{id}")).StatusCode); // private now
        Assert.True(Browser.IsRedirectTo(await reader.PostAsync($"/collections/{id}/change", new() { ["action"] = "delete" }, "/collections"), "/collections"));
        Assert.Equal(0, await app.WithDbAsync(db => db.Collections.CountAsync()));
    }

    [Fact]
    public async Task FollowingFromAPageShowsOnTheFollowsPageAndInForYou()
    {
        var (app, reader) = await SignedInAsync();
        await using var _ = app;
        // A follow button on a shared page posts without a token, as a same-origin form.
        var r = await reader.PostAsync("/follows", new() { ["kind"] = "author", ["value"] = "Chengsong Huang", ["back"] = $"/papers/{Paper}" }, "/");
        Assert.True(Browser.IsRedirectTo(r, "/follows?back=%2Fpapers%2F2608.19880"));
        var follows = await reader.Client.GetStringAsync("/follows?back=%2Fpapers%2F2608.19880");
        Assert.Contains("You follow the author Chengsong Huang.", follows);
        Assert.Contains("href=\"/papers/2608.19880\"", follows);
        var forYou = await reader.Client.GetStringAsync("/for-you");
        Assert.Contains("EnvHarness", forYou);
        Assert.Contains("matches what you follow", forYou);
        Assert.True(Browser.IsRedirectTo(await reader.PostAsync("/follows/remove", new() { ["kind"] = "author", ["value"] = "Chengsong Huang" }, "/follows"), "/follows?back=%2Ffollows"));
        Assert.Equal(0, await app.WithDbAsync(db => db.Follows.CountAsync()));
        // Signed out, a follow button leads to sign in and back.
        var stranger = new Browser(app);
        Assert.True(Browser.IsRedirectTo(await stranger.PostAsync("/follows", new() { ["kind"] = "author", ["value"] = "X", ["back"] = "/" }, "/"), "/account/signin?ReturnUrl=%2F"));
    }

    [Fact]
    public async Task ACommentIsEditedDeletedAndReportedFromItsOwnPage()
    {
        var (app, author) = await SignedInAsync();
        await using var _ = app;
        Assert.True((await author.PostAsync($"/papers/{Paper}/comments", new() { ["body"] = "First **draft**" }, $"/papers/{Paper}")).StatusCode == HttpStatusCode.Redirect);
        Assert.Contains("href=\"/comments/1\"", await author.Client.GetStringAsync($"/papers/{Paper}"));
        var own = await author.Client.GetStringAsync("/comments/1");
        Assert.Contains("name=\"body\"", own);
        Assert.Contains(">Delete</button>", own);
        Assert.True(Browser.IsRedirectTo(await author.PostAsync("/comments/1/edit", new() { ["body"] = "Second *take*" }, "/comments/1"), $"/papers/{Paper}#c1"));
        Assert.Contains("<em>take</em>", await author.Client.GetStringAsync($"/papers/{Paper}"));

        var other = new Browser(app);
        await other.SignUpAsync("other@example.org");
        await other.SignInAsync("other@example.org");
        var theirs = await other.Client.GetStringAsync("/comments/1");
        Assert.DoesNotContain("name=\"body\"", theirs);
        Assert.True(Browser.IsRedirectTo(await other.PostAsync("/comments/1/report", new() { ["reason"] = "off topic" }, "/comments/1"), "/comments/1"));
        Assert.Equal("off topic", await app.WithDbAsync(db => db.Reports.Select(r => r.Reason).SingleAsync()));
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsync("/comments/1/delete", [], "/comments/1")).StatusCode);

        Assert.True(Browser.IsRedirectTo(await author.PostAsync("/comments/1/delete", [], "/comments/1"), $"/papers/{Paper}#comments"));
        Assert.Contains("[deleted]", await author.Client.GetStringAsync($"/papers/{Paper}"));
        Assert.Equal(HttpStatusCode.NotFound, (await author.Client.GetAsync("/comments/1")).StatusCode);
    }

    [Fact]
    public async Task APaperIsSubmittedFromThePageAndARefusalSaysWhy()
    {
        var (app, reader) = await SignedInAsync();
        await using var _ = app;
        var page = await reader.Client.GetStringAsync("/submit");
        Assert.Contains("within the last 14 days", page);
        var refused = await reader.PostAsync("/submit", new() { ["arxivId"] = "not an id" }, "/submit");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Not submitted: give an arXiv id", await refused.Content.ReadAsStringAsync());
        var old = await reader.PostAsync("/submit", new() { ["arxivId"] = $"https://arxiv.org/abs/{Paper}" }, "/submit");
        Assert.Equal(HttpStatusCode.Conflict, old.StatusCode); // published in 2026-08, more than 14 days before today
        Assert.Contains("more than 14 days ago", await old.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AnAuthorClaimsFromThePaperAndTheAdminDecidesFromAdmin()
    {
        var (app, reader) = await SignedInAsync();
        await using var _ = app;
        var claimPage = await reader.Client.GetStringAsync($"/papers/{Paper}/claim");
        Assert.Contains("value=\"Chengsong Huang\"", claimPage);
        Assert.True(Browser.IsRedirectTo(await reader.PostAsync($"/papers/{Paper}/claim", new() { ["authorName"] = "Chengsong Huang" }, $"/papers/{Paper}/claim"), $"/papers/{Paper}/claim"));
        Assert.Contains("waits for an admin", await reader.Client.GetStringAsync($"/papers/{Paper}/claim"));

        var admin = await SignedInAsAsync(app, "admin@example.org");
        Assert.Contains("claims to be Chengsong Huang", await admin.Client.GetStringAsync("/admin"));
        Assert.True(Browser.IsRedirectTo(await admin.PostAsync("/admin/claims/1/approve", [], "/admin"), "/admin"));
        Assert.Contains("verified author", await app.CreateClient().GetStringAsync($"/papers/{Paper}"));
        // The claimant is told.
        var notifications = await reader.Client.GetStringAsync("/notifications");
        Assert.Contains("Your claim to be Chengsong Huang on 2608.19880 was approved.", notifications);
    }

    [Fact]
    public async Task AnAdminChangesRolesAndSuspendsFromAdminAndModeratorsSeeOnlyReports()
    {
        var (app, admin) = await SignedInAsync("boss@example.org", Roles.Admin);
        await using var _ = app;
        await new Browser(app).SignUpAsync("member@example.org");
        var member = await app.WithDbAsync(db => db.Users.Where(u => u.Email == "member@example.org").Select(u => u.Id).SingleAsync());
        Assert.Contains("Change role", await admin.Client.GetStringAsync("/admin"));
        Assert.True(Browser.IsRedirectTo(await admin.PostAsync($"/admin/users/{member}/role", new() { ["role"] = Roles.Moderator }, "/admin"), "/admin#users"));
        Assert.Equal(Roles.Moderator, await app.WithDbAsync(db => db.Users.Where(u => u.Id == member).Select(u => u.Role).SingleAsync()));
        var moderator = await SignedInAsAsync(app, "member@example.org");
        var modPage = await moderator.Client.GetStringAsync("/admin");
        Assert.Contains("Open reports", modPage);
        Assert.DoesNotContain("Change role", modPage);
        Assert.Equal(HttpStatusCode.Forbidden, (await moderator.PostAsync($"/admin/users/{member}/role", new() { ["role"] = Roles.Admin }, "/admin")).StatusCode);
        Assert.True(Browser.IsRedirectTo(await admin.PostAsync($"/admin/users/{member}/suspend", [], "/admin"), "/admin#users"));
        Assert.True(Browser.IsRedirectTo(await moderator.Client.GetAsync("/admin"), "/account/signin?ReturnUrl=%2Fadmin")); // its session ended
    }

    [Fact]
    public async Task TheAccountPageShowsUpvotesCollectionsFollowsAndTheDigest()
    {
        var (app, reader) = await SignedInAsync();
        await using var _ = app;
        Assert.True(Browser.IsRedirectTo(await reader.PostAsync($"/papers/{Paper}/upvote", new() { ["back"] = "/" }, "/"), "/"));
        var page = await reader.Client.GetStringAsync("/account");
        Assert.Contains("EnvHarness", page);
        Assert.Contains("href=\"/collections\"", page);
        Assert.Contains("href=\"/follows\"", page);
        Assert.Contains("Digest:", page);
    }

    static async Task<Browser> SignedInAsAsync(AppFactory app, string email)
    {
        var browser = new Browser(app);
        Assert.True(Browser.IsRedirectTo(await browser.SignInAsync(email), "/account"));
        return browser;
    }
}
