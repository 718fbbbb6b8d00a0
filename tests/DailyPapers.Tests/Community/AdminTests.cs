using System.Net;
using System.Net.Http.Json;
using DailyPapers.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DailyPapers.Tests.Community;

public class AdminTests
{
    static async Task<HttpResponseMessage> SendAsync(AppFactory app, string url, string? token, object? body = null)
    {
        var request = token is null ? new HttpRequestMessage(HttpMethod.Post, url) : Browser.WithBearer(HttpMethod.Post, url, token);
        request.Content = JsonContent.Create(body ?? new { });
        return await app.CreateClient().SendAsync(request);
    }

    [Fact]
    public async Task OnlyAdminsChangeRolesAndSuspend()
    {
        await using var app = new AppFactory().With("Digest:Schedule", "false");
        var (admin, adminToken) = await Browser.UserWithTokenAsync(app, "admin@example.org");
        var (member, memberToken) = await Browser.UserWithTokenAsync(app, "member@example.org");
        var (_, modToken) = await Browser.UserWithTokenAsync(app, "mod@example.org", Roles.Moderator);
        Assert.Equal(Roles.Admin, admin.Role);

        foreach (var (token, status) in new[] { ((string?)null, HttpStatusCode.Unauthorized), (memberToken, HttpStatusCode.Forbidden), (modToken, HttpStatusCode.Forbidden) })
        {
            Assert.Equal(status, (await SendAsync(app, $"/api/admin/users/{member.Id}/role", token, new { role = "admin" })).StatusCode);
            Assert.Equal(status, (await SendAsync(app, $"/api/admin/users/{member.Id}/suspend", token)).StatusCode);
            Assert.Equal(status, (await SendAsync(app, $"/api/admin/users/{member.Id}/restore", token)).StatusCode);
            var noRedirects = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            var page = await noRedirects.SendAsync(token is null ? new HttpRequestMessage(HttpMethod.Get, "/admin") : Browser.WithBearer(HttpMethod.Get, "/admin", token));
            // A visitor is sent to sign in; a member is refused outright; a moderator sees the reports, and nothing of the
            // admin's (accounts, claims, mail).
            if (token is null) Assert.True(Browser.IsRedirectTo(page, "/account/signin?ReturnUrl=%2Fadmin"), $"{page.StatusCode} {page.Headers.Location}");
            else if (token == memberToken) Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
            else Assert.DoesNotContain("Change role", await page.Content.ReadAsStringAsync());
        }
        var adminPage = await app.CreateClient().SendAsync(Browser.WithBearer(HttpMethod.Get, "/admin", adminToken));
        Assert.Equal(HttpStatusCode.OK, adminPage.StatusCode);
        var html = await adminPage.Content.ReadAsStringAsync();
        Assert.Contains("<td>mod@example.org</td>", html); // the accounts, each with its role form
        Assert.Contains("Change role", html);

        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(app, $"/api/admin/users/{member.Id}/role", adminToken, new { role = "root" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(app, "/api/admin/users/999/role", adminToken, new { role = "moderator" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(app, $"/api/admin/users/{admin.Id}/role", adminToken, new { role = "member" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(app, $"/api/admin/users/{admin.Id}/suspend", adminToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(app, $"/api/admin/users/{member.Id}/role", adminToken, new { role = "moderator" })).StatusCode);
        Assert.Equal(Roles.Moderator, await app.WithDbAsync(db => db.Users.Where(u => u.Id == member.Id).Select(u => u.Role).SingleAsync()));
    }

    [Fact]
    public async Task ASuspendedAccountStopsWorkingAtOnce()
    {
        await using var app = new AppFactory().With("Digest:Schedule", "false");
        await app.ImportAsync("hf/2026-08-21.jsonl");
        var (_, adminToken) = await Browser.UserWithTokenAsync(app, "admin@example.org");
        var browser = new Browser(app);
        await browser.SignUpAsync("troll@example.org");
        await browser.SignInAsync("troll@example.org");
        var troll = await app.WithDbAsync(db => db.Users.SingleAsync(u => u.Email == "troll@example.org"));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var (_, trollToken) = await scope.ServiceProvider.GetRequiredService<AccountService>().CreateTokenAsync(troll, "bot");
            Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(app, $"/api/admin/users/{troll.Id}/suspend", adminToken)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(app, "/api/papers/2608.19880/upvote", trollToken)).StatusCode);
            Assert.True(Browser.IsRedirectTo(await browser.Client.GetAsync("/account"), "/account/signin?ReturnUrl=%2Faccount"));
            Assert.Equal(HttpStatusCode.BadRequest, (await browser.SignInAsync("troll@example.org")).StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(app, $"/api/admin/users/{troll.Id}/restore", adminToken)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(app, "/api/papers/2608.19880/upvote", trollToken)).StatusCode);
        }
    }

    [Fact]
    public async Task TheUserCommandAddsAnAdminWithAPasswordLink()
    {
        var data = Directory.CreateTempSubdirectory("dailypapers-user-").FullName;
        var (exit, stdout, stderr) = await Cli.RunAsync("user", "add", "boss@example.org", "--admin", "--name", "The Boss", "--data", data, "--no-sample", "--PublicUrl=https://papers.test");
        Assert.True(exit == 0, stderr);
        Assert.Matches(@"created #1 boss@example.org \(admin\); choose a password within 2 hours at:\nhttps://papers\.test/account/reset\?token=\S+", stdout.Replace("\r", ""));
        (exit, stdout, _) = await Cli.RunAsync("user", "role", "boss@example.org", "moderator", "--data", data);
        Assert.Equal(0, exit);
        (_, stdout, _) = await Cli.RunAsync("user", "list", "--data", data);
        Assert.Contains("#1 boss@example.org The Boss moderator (unverified)", stdout);
        Assert.Equal(2, (await Cli.RunAsync("user", "role", "boss@example.org", "root", "--data", data)).Exit);
        Assert.Equal(1, (await Cli.RunAsync("user", "add", "boss@example.org", "--data", data)).Exit);
        Assert.Equal(2, (await Cli.RunAsync("user", "--data", data)).Exit);
    }
}
