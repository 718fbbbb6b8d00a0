using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DailyPapers.Accounts;
using DailyPapers.Digest;
using DailyPapers.Tests.Ingest;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Tests.Community;

/// <summary>
/// The whole hub's export as an admin's download, and each account's own: its data as JSON, and its deletion (votes
/// gone with the counts right, comments kept as "[deleted]", the digest ended, sessions and tokens revoked).
/// </summary>
public class AccountDataTests
{
    const string Paper = "2608.14022";

    sealed record Member(AppFactory App, Browser Browser, string Token, string AdminToken);

    /// <summary>An admin, and Ada (a member, signed in) who has upvoted, commented, kept a list, followed and subscribed.</summary>
    static async Task<Member> AdaAsync()
    {
        var app = new AppFactory().With("Digest:Schedule", "false");
        await app.ImportAsync("hf/2026-08-21.jsonl");
        var (_, admin) = await Browser.UserWithTokenAsync(app, "admin@example.org", Roles.Admin);
        var (_, ada) = await Browser.UserWithTokenAsync(app, "ada@example.org");
        await Expect(app, ada, "POST", $"/api/papers/{Paper}/upvote", null, HttpStatusCode.OK);
        await Expect(app, admin, "POST", $"/api/papers/{Paper}/upvote", null, HttpStatusCode.OK);
        await Expect(app, ada, "POST", $"/api/papers/{Paper}/comments", new { body = "Ada's *thoughts*." }, HttpStatusCode.Created);
        await Expect(app, admin, "POST", $"/api/papers/{Paper}/comments", new { body = "A reply to Ada.", parentId = 1 }, HttpStatusCode.Created);
        await Expect(app, ada, "POST", "/api/collections", new { name = "To read", isPublic = false }, HttpStatusCode.Created);
        await Expect(app, ada, "POST", "/api/collections/1/papers", new { arxivId = Paper }, HttpStatusCode.NoContent);
        await Expect(app, ada, "POST", "/api/follows", new { kind = "keyword", value = "agents" }, HttpStatusCode.NoContent);
        await Expect(app, null, "POST", "/api/subscriptions", new { email = "ada@example.org" }, HttpStatusCode.Accepted);
        var browser = new Browser(app);
        Assert.True(Browser.IsRedirectTo(await browser.SignInAsync("ada@example.org"), "/account"));
        return new Member(app, browser, ada, admin);
    }

    static async Task Expect(AppFactory app, string? token, string method, string url, object? body, HttpStatusCode status)
    {
        var response = await Browser.SendAsync(app, new HttpMethod(method), url, token, body);
        Assert.True(response.StatusCode == status, $"{method} {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    static async Task<JsonElement> PaperAsync(AppFactory app) => await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/papers/{Paper}");

    [Fact]
    public async Task AdminsDownloadTheWholeExportAndNobodyElseCan()
    {
        var m = await AdaAsync();
        await using var app = m.App;
        foreach (var url in new[] { "/api/admin/export", "/admin/export" })
        {
            var response = await app.CreateClient().SendAsync(Browser.WithBearer(HttpMethod.Get, url, m.AdminToken));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
            Assert.EndsWith(".jsonl", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
            // The same as the command's (after the request: using a token records when it was last used).
            Assert.Equal(await response.Content.ReadAsStringAsync(), await BackupTests.ExportAsync(app));
            Assert.Equal(HttpStatusCode.Forbidden, (await app.CreateClient().SendAsync(Browser.WithBearer(HttpMethod.Get, url, m.Token))).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await m.Browser.Client.GetAsync(url)).StatusCode); // Ada's session: a member
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/admin/export")).StatusCode);
        var anonymous = new Browser(app);
        Assert.True(Browser.IsRedirectTo(await anonymous.Client.GetAsync("/admin/export"), "/account/signin?ReturnUrl=%2Fadmin%2Fexport"));
    }

    [Fact]
    public async Task AnAccountDownloadsItsOwnDataWithoutSecrets()
    {
        var m = await AdaAsync();
        await using var app = m.App;
        var response = await m.Browser.Client.GetAsync("/account/export");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        var text = await response.Content.ReadAsStringAsync();
        var data = Some.Json(text);
        Assert.Equal("ada@example.org", data.GetProperty("account").GetProperty("email").GetString());
        Assert.Equal(Paper, data.GetProperty("votes")[0].GetProperty("paperId").GetString());
        Assert.Equal("Ada's *thoughts*.", data.GetProperty("comments")[0].GetProperty("body").GetString());
        Assert.Equal(1, data.GetProperty("comments").GetArrayLength()); // not the admin's reply
        Assert.Equal(Paper, data.GetProperty("collections")[0].GetProperty("papers")[0].GetProperty("paperId").GetString());
        Assert.Equal("agents", data.GetProperty("follows")[0].GetProperty("value").GetString());
        Assert.Equal("pending", data.GetProperty("subscriptions")[0].GetProperty("status").GetString());
        Assert.Equal("test", data.GetProperty("tokens")[0].GetProperty("name").GetString());
        Assert.Equal(1, data.GetProperty("sessions").GetArrayLength());
        var ada = await app.WithDbAsync(db => db.Users.SingleAsync(u => u.Email == "ada@example.org"));
        var session = await app.WithDbAsync(db => db.Sessions.Select(s => s.Id).SingleAsync());
        var token = await app.WithDbAsync(db => db.ApiTokens.SingleAsync(t => t.UserId == ada.Id));
        foreach (var secret in new[] { ada.PasswordHash, ada.SecurityStamp, session, token.Hash, token.Prefix, m.Token })
            Assert.DoesNotContain(secret, text);
        Assert.True(Browser.IsRedirectTo(await new Browser(app).Client.GetAsync("/account/export"), "/account/signin?ReturnUrl=%2Faccount%2Fexport"));
    }

    [Fact]
    public async Task APaperHiddenSinceStaysHiddenInTheDownloadButTheCommentOnItDoesNot()
    {
        var m = await AdaAsync();
        await using var app = m.App;
        await Expect(app, m.AdminToken, "POST", $"/api/papers/{Paper}/hide", null, HttpStatusCode.NoContent);
        var text = await m.Browser.Client.GetStringAsync("/account/export");
        Assert.DoesNotContain(Paper, text);
        var comment = Some.Json(text).GetProperty("comments")[0];
        Assert.Equal(("Ada's *thoughts*.", true), (comment.GetProperty("body").GetString(), comment.GetProperty("paperHidden").GetBoolean()));
        Assert.Equal(0, Some.Json(text).GetProperty("votes").GetArrayLength());
    }

    [Fact]
    public async Task DeletingAnAccountNeedsItsPasswordAndLeavesCountsAndThreadsRight()
    {
        var m = await AdaAsync();
        await using var app = m.App;
        var before = (await PaperAsync(app)).GetProperty("upvotes").GetInt32();
        var wrong = await m.Browser.PostAsync("/account/delete", new() { ["password"] = "not my password" }, "/account");
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("nothing was deleted", await wrong.Content.ReadAsStringAsync());
        Assert.Equal(before, (await PaperAsync(app)).GetProperty("upvotes").GetInt32());

        var done = await m.Browser.PostAsync("/account/delete", new() { ["password"] = "correct horse battery" }, "/account");
        Assert.True(Browser.IsRedirectTo(done, "/"), $"{(int)done.StatusCode}");
        // Her vote is gone and the count follows; the admin's stays.
        var paper = await PaperAsync(app);
        Assert.Equal((before - 1, 1), (paper.GetProperty("upvotes").GetInt32(), paper.GetProperty("numComments").GetInt32() - (await ImportedCommentsAsync(app))));
        // Her comment keeps its place with no text or name; the reply to it stays.
        var thread = await app.CreateClient().GetStringAsync($"/api/papers/{Paper}/comments");
        Assert.DoesNotContain("thoughts", thread);
        Assert.Contains("[deleted]", thread);
        Assert.Contains("A reply to Ada.", thread);
        Assert.Equal("", await app.WithDbAsync(db => db.Comments.Where(c => c.Id == 1).Select(c => c.Body).SingleAsync()));
        // Nothing of hers is left to use: the session, the token, the password, the address; the digest is ended.
        Assert.True(Browser.IsRedirectTo(await m.Browser.Client.GetAsync("/account"), "/account/signin?ReturnUrl=%2Faccount"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().SendAsync(Browser.WithBearer(HttpMethod.Get, "/api/follows", m.Token))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await new Browser(app).SignInAsync("ada@example.org")).StatusCode);
        Assert.Equal(SubscriptionStatus.Unsubscribed, await app.WithDbAsync(db => db.Subscriptions.Where(s => s.Email == "ada@example.org").Select(s => s.Status).SingleAsync()));
        Assert.Equal((0, 0, 0), await app.WithDbAsync(async db => (await db.Votes.CountAsync(v => v.UserId == 2), await db.Collections.CountAsync(), await db.Follows.CountAsync())));
        Assert.False(await app.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == "ada@example.org" || u.Name == "ada")));
        // The address is free again.
        Assert.True(Browser.IsRedirectTo(await new Browser(app).SignUpAsync("ada@example.org"), "/account/signin"));
    }

    static Task<int> ImportedCommentsAsync(AppFactory app) =>
        app.WithDbAsync(db => db.PapersIncludingHidden.Where(p => p.Id == Paper).Select(p => p.ImportedComments).SingleAsync());

    [Fact]
    public async Task TheOnlyAdminCannotDeleteTheirAccount()
    {
        await using var app = new AppFactory();
        var browser = new Browser(app);
        await browser.SignUpAsync("admin@example.org");
        Assert.True(Browser.IsRedirectTo(await browser.SignInAsync("admin@example.org"), "/account"));
        var refused = await browser.PostAsync("/account/delete", new() { ["password"] = "correct horse battery" }, "/account");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("only admin", await refused.Content.ReadAsStringAsync());
        Assert.True(await app.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == "admin@example.org")));
    }

    [Fact]
    public async Task AnApiTokenCannotDeleteTheAccountItActsFor()
    {
        var m = await AdaAsync();
        await using var app = m.App;
        var request = Browser.WithBearer(HttpMethod.Post, "/account/delete", m.Token);
        request.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["password"] = "correct horse battery" });
        Assert.Equal(HttpStatusCode.Forbidden, (await app.CreateClient().SendAsync(request)).StatusCode);
        Assert.True(await app.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == "ada@example.org")));
    }
}
