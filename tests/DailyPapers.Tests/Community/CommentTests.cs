using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DailyPapers.Accounts;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Tests.Community;

public class CommentTests
{
    const string Paper = "2608.19880";

    static async Task<AppFactory> AppAsync()
    {
        var app = new AppFactory().With("Digest:Schedule", "false");
        await app.ImportAsync("hf/2026-08-21.jsonl");
        return app;
    }

    [Fact]
    public async Task CommentsAndRepliesFormAThreadAndCount()
    {
        await using var app = await AppAsync();
        var (_, token) = await Browser.UserWithTokenAsync(app, "ada@example.org");
        var before = (await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/papers/{Paper}")).GetProperty("numComments").GetInt32();
        var first = await Browser.SendAsync(app, HttpMethod.Post, $"/api/papers/{Paper}/comments", token, new { body = "Nice **result**, see https://example.org" });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.Created, (await Browser.SendAsync(app, HttpMethod.Post, $"/api/papers/{Paper}/comments", token, new { body = "A reply", parentId = id })).StatusCode);

        var thread = await app.CreateClient().GetFromJsonAsync<JsonElement[]>($"/api/papers/{Paper}/comments");
        Assert.Equal(2, thread!.Length);
        Assert.Equal(id, thread[1].GetProperty("parentId").GetInt64());
        Assert.Contains("<strong>result</strong>", thread[0].GetProperty("html").GetString());
        Assert.Contains("rel=\"nofollow ugc noopener\"", thread[0].GetProperty("html").GetString());
        Assert.Equal(before + 2, (await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/papers/{Paper}")).GetProperty("numComments").GetInt32());
        Assert.Contains("A reply", await app.CreateClient().GetStringAsync($"/papers/{Paper}"));
    }

    public static TheoryData<string> Payloads => new()
    {
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[click](javascript:alert(1))",
        "<a href=\"javascript:alert(1)\">x</a>",
        "![x](javascript:alert(1))",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<svg onload=alert(1)>",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "<style>body{display:none}</style>",
        "\"><script>alert(1)</script>",
    };

    [Theory]
    [MemberData(nameof(Payloads))]
    public async Task ScriptInCommentsRendersInert(string payload)
    {
        await using var app = await AppAsync();
        var (_, token) = await Browser.UserWithTokenAsync(app, "mallory@example.org");
        Assert.Equal(HttpStatusCode.Created, (await Browser.SendAsync(app, HttpMethod.Post, $"/api/papers/{Paper}/comments", token, new { body = payload })).StatusCode);
        var html = (await app.CreateClient().GetFromJsonAsync<JsonElement[]>($"/api/papers/{Paper}/comments"))![0].GetProperty("html").GetString()!;
        var page = await app.CreateClient().GetStringAsync($"/papers/{Paper}");
        // Inert means: no element the payload asked for, no event-handler attribute, no script URL in a link or
        // source. The payload may still show as escaped text, which is what a reader should see.
        foreach (var text in new[] { html, page[page.IndexOf("id=\"comments\"", StringComparison.Ordinal)..] })
        {
            Assert.DoesNotMatch(@"(?i)<(script|iframe|svg|style|img)\b", text);
            Assert.DoesNotMatch(@"(?i)<[a-z][^>]*\son\w+\s*=", text);
            Assert.DoesNotMatch(@"(?i)<[a-z][^>]*\s(href|src)\s*=\s*""?\s*(javascript|data):", text);
        }
    }

    /// <summary>Every state-changing comment endpoint against every kind of caller.</summary>
    [Fact]
    public async Task EachEndpointRefusesTheWrongCaller()
    {
        await using var app = await AppAsync();
        var (_, admin) = await Browser.UserWithTokenAsync(app, "admin@example.org"); // the first account
        var (_, author) = await Browser.UserWithTokenAsync(app, "author@example.org");
        var (_, other) = await Browser.UserWithTokenAsync(app, "other@example.org");
        var (_, moderator) = await Browser.UserWithTokenAsync(app, "mod@example.org", Roles.Moderator);
        async Task<long> NewCommentAsync() =>
            (await (await Browser.SendAsync(app, HttpMethod.Post, $"/api/papers/{Paper}/comments", author, new { body = "mine" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var c = await NewCommentAsync();
        var patch = new HttpMethod("PATCH");

        // Anonymous: 401 everywhere.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Browser.SendAsync(app, HttpMethod.Post, $"/api/papers/{Paper}/comments", null, new { body = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Browser.SendAsync(app, patch, $"/api/comments/{c}", null, new { body = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Browser.SendAsync(app, HttpMethod.Delete, $"/api/comments/{c}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Browser.SendAsync(app, HttpMethod.Post, $"/api/comments/{c}/hide", null)).StatusCode);
        // Another member: not their comment, not their role.
        Assert.Equal(HttpStatusCode.Forbidden, (await Browser.SendAsync(app, patch, $"/api/comments/{c}", other, new { body = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Browser.SendAsync(app, HttpMethod.Delete, $"/api/comments/{c}", other)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Browser.SendAsync(app, HttpMethod.Post, $"/api/comments/{c}/hide", other)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Browser.SendAsync(app, HttpMethod.Post, $"/api/comments/{c}/hide", author)).StatusCode);
        // A moderator cannot put words in an author's mouth, but can hide; an admin can too.
        Assert.Equal(HttpStatusCode.Forbidden, (await Browser.SendAsync(app, patch, $"/api/comments/{c}", moderator, new { body = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Browser.SendAsync(app, patch, $"/api/comments/{c}", author, new { body = "edited" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Browser.SendAsync(app, HttpMethod.Post, $"/api/comments/{c}/hide", moderator)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Browser.SendAsync(app, HttpMethod.Delete, $"/api/comments/{c}", author)).StatusCode); // already gone
        var c2 = await NewCommentAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await Browser.SendAsync(app, HttpMethod.Post, $"/api/comments/{c2}/hide", admin)).StatusCode);
        var c3 = await NewCommentAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await Browser.SendAsync(app, HttpMethod.Delete, $"/api/comments/{c3}", author)).StatusCode);

        var thread = await app.CreateClient().GetFromJsonAsync<JsonElement[]>($"/api/papers/{Paper}/comments");
        Assert.All(thread!, t => Assert.True(t.GetProperty("removed").GetBoolean()));
        Assert.DoesNotContain("edited", thread![0].GetProperty("html").GetString());
        Assert.Equal(0, await app.WithDbAsync(db => db.Papers.Where(p => p.Id == Paper).Select(p => p.LocalComments).SingleAsync()));
    }

    [Theory]
    [InlineData("""{"body": ""}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"body": "   "}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"body": "ok", "parentId": 999}""", HttpStatusCode.BadRequest)]
    [InlineData("""not json""", HttpStatusCode.BadRequest)]
    public async Task BadCommentsAreRefused(string body, HttpStatusCode status)
    {
        await using var app = await AppAsync();
        var (_, token) = await Browser.UserWithTokenAsync(app, "ada@example.org");
        var request = Browser.WithBearer(HttpMethod.Post, $"/api/papers/{Paper}/comments", token);
        request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(status, (await app.CreateClient().SendAsync(request)).StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.Comments.CountAsync()));
    }

    [Fact]
    public async Task OversizeCommentsAndUnknownPapersAreRefused()
    {
        await using var app = await AppAsync();
        var (_, token) = await Browser.UserWithTokenAsync(app, "ada@example.org");
        Assert.Equal(HttpStatusCode.BadRequest, (await Browser.SendAsync(app, HttpMethod.Post, $"/api/papers/{Paper}/comments", token, new { body = new string('x', 10_001) })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Browser.SendAsync(app, HttpMethod.Post, "/api/papers/2608.99999/comments", token, new { body = "hello" })).StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.Comments.CountAsync()));
    }

    [Fact]
    public async Task TheFormUnderThePaperWorksWithoutScript()
    {
        await using var app = await AppAsync();
        var browser = new Browser(app);
        await browser.SignUpAsync("reader@example.org");
        await browser.SignInAsync("reader@example.org");
        var r = await browser.PostAsync($"/papers/{Paper}/comments", new() { ["body"] = "Posted from the form" }, $"/papers/{Paper}");
        Assert.True(r.StatusCode == HttpStatusCode.Redirect && r.Headers.Location!.OriginalString.StartsWith($"/papers/{Paper}#c"), r.StatusCode.ToString());
        Assert.Contains("Posted from the form", await browser.Client.GetStringAsync($"/papers/{Paper}"));
        // From another site (or a browser that says nothing of where a form came from): nothing is posted; a page asks
        // the reader to confirm, with a token of their own.
        var forged = new HttpRequestMessage(HttpMethod.Post, $"/papers/{Paper}/comments") { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["body"] = "csrf" }) };
        forged.Headers.Add("Origin", "https://evil.example");
        forged.Headers.Add("Sec-Fetch-Site", "cross-site");
        var confirm = await browser.Client.SendAsync(forged);
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        Assert.Contains("Post the comment", await confirm.Content.ReadAsStringAsync());
        Assert.DoesNotContain("<p>csrf</p>", await browser.Client.GetStringAsync($"/papers/{Paper}"));
    }
}

public class HostileTextTests
{
    [Fact]
    public async Task ScriptInTitlesAuthorsAndSearchTermsRendersInert()
    {
        await using var app = new AppFactory().With("Digest:Schedule", "false");
        var file = Some.File(Some.HfEntry("2608.00001", "2026-08-21", title: "<script>alert('title')</script><img src=x onerror=alert(1)>",
            paper: p => p["authors"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["name"] = "<svg onload=alert(2)>" })));
        await app.WithDbAsync(db => Task.FromResult(0)); // the host is up: the schema exists
        var (code, _, err) = await Cli.RunAsync(["import", file, .. app.DataOptions, "--no-embed"]);
        Assert.True(code == 0, err);
        var client = app.CreateClient();
        foreach (var url in new[] { "/", "/papers/2608.00001", "/search?q=%3Cscript%3Ealert(3)%3C%2Fscript%3E", "/papers.rss", "/trending" })
        {
            var html = await client.GetStringAsync(url);
            Assert.DoesNotMatch(@"(?i)<script>alert|<img src=x|<svg onload", html);
        }
    }
}
