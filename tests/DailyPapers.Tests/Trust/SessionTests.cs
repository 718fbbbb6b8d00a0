using System.Net;
using DailyPapers.Accounts;
using DailyPapers.Tests.Community;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Tests.Trust;

/// <summary>
/// A session ends when its owner says so, for good: each test copies the session cookie as an attacker who stole it
/// would, and replays it after the owner signed out, signed out everywhere, or changed the password.
/// </summary>
public class SessionTests
{
    const string Password = "correct horse battery";

    static AppFactory App() => new AppFactory().With("Digest:Schedule", "false");

    static async Task<(Browser Browser, string Cookie)> SignedInAsync(AppFactory app, string email)
    {
        var browser = new Browser(app);
        var signin = await browser.SignInAsync(email);
        Assert.True(Browser.IsRedirectTo(signin, "/account"), signin.StatusCode.ToString());
        return (browser, signin.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("dp_session=", StringComparison.Ordinal)).Split(';')[0]);
    }

    /// <summary>The copied cookie, sent by another client: true when it still opens the account page.</summary>
    static async Task<bool> ReplayWorksAsync(AppFactory app, string cookie)
    {
        var thief = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = false });
        var request = new HttpRequestMessage(HttpMethod.Get, "/account");
        request.Headers.Add("Cookie", cookie);
        var response = await thief.SendAsync(request);
        return response.StatusCode == HttpStatusCode.OK;
    }

    [Fact]
    public async Task SigningOutEndsTheSessionEvenForACopyOfItsCookie()
    {
        await using var app = App();
        await new Browser(app).SignUpAsync("ada@example.org");
        var (browser, cookie) = await SignedInAsync(app, "ada@example.org");
        Assert.True(await ReplayWorksAsync(app, cookie));
        Assert.True(Browser.IsRedirectTo(await browser.PostAsync("/account/signout", [], "/account"), "/account/signin"));
        Assert.False(await ReplayWorksAsync(app, cookie));
        Assert.NotNull(await app.WithDbAsync(db => db.Sessions.Select(s => s.RevokedAt).SingleAsync()));
        Assert.Contains("You are signed out.", await browser.Client.GetStringAsync("/account/signin"));
    }

    [Fact]
    public async Task SignOutEverywhereEndsEverySessionOfTheAccountAndNoOther()
    {
        await using var app = App();
        await new Browser(app).SignUpAsync("ada@example.org");
        await new Browser(app).SignUpAsync("bob@example.org", name: "Bob");
        var (laptop, laptopCookie) = await SignedInAsync(app, "ada@example.org");
        var (_, phoneCookie) = await SignedInAsync(app, "ada@example.org");
        var (_, bobCookie) = await SignedInAsync(app, "bob@example.org");
        var page = await laptop.Client.GetStringAsync("/account");
        Assert.Contains("This browser", page);
        Assert.Contains("Sign out everywhere", page);

        Assert.True(Browser.IsRedirectTo(await laptop.PostAsync("/account/signout-everywhere", [], "/account"), "/account/signin"));
        Assert.Contains("2 sessions ended", await laptop.Client.GetStringAsync("/account/signin"));
        Assert.False(await ReplayWorksAsync(app, laptopCookie));
        Assert.False(await ReplayWorksAsync(app, phoneCookie));
        Assert.True(await ReplayWorksAsync(app, bobCookie));
    }

    [Fact]
    public async Task APasswordChangeKeepsThisSessionAndEndsTheOthers()
    {
        await using var app = App();
        await new Browser(app).SignUpAsync("ada@example.org");
        var (laptop, _) = await SignedInAsync(app, "ada@example.org");
        var (_, phoneCookie) = await SignedInAsync(app, "ada@example.org");

        var wrong = await laptop.PostAsync("/account/password", new() { ["current"] = "not the password", ["password"] = "a brand new passphrase" }, "/account");
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("The current password is wrong.", await wrong.Content.ReadAsStringAsync());
        Assert.True(await ReplayWorksAsync(app, phoneCookie));

        var changed = await laptop.PostAsync("/account/password", new() { ["current"] = Password, ["password"] = "a brand new passphrase" }, "/account");
        Assert.True(Browser.IsRedirectTo(changed, "/account"));
        Assert.Contains("Every other session was signed out", await laptop.Client.GetStringAsync("/account"));
        Assert.Equal(HttpStatusCode.OK, (await laptop.Client.GetAsync("/account")).StatusCode);
        Assert.False(await ReplayWorksAsync(app, phoneCookie));
        Assert.Equal(HttpStatusCode.BadRequest, (await new Browser(app).SignInAsync("ada@example.org")).StatusCode);
        Assert.True(Browser.IsRedirectTo(await new Browser(app).SignInAsync("ada@example.org", "a brand new passphrase"), "/account"));
    }

    [Fact]
    public async Task SigningInAgainInABrowserEndsTheSessionItHad()
    {
        await using var app = App();
        await new Browser(app).SignUpAsync("ada@example.org");
        var (browser, first) = await SignedInAsync(app, "ada@example.org");
        Assert.True(Browser.IsRedirectTo(await browser.SignInAsync("ada@example.org"), "/account"));
        Assert.False(await ReplayWorksAsync(app, first));
        Assert.Equal(1, await app.WithDbAsync(db => db.Sessions.CountAsync(s => s.RevokedAt == null)));
    }

    [Fact]
    public async Task AnApiTokenDoesNotManageTheAccountItActsFor()
    {
        await using var app = App();
        var (_, token) = await Browser.UserWithTokenAsync(app, "script@example.org", Roles.Admin);
        foreach (var (url, fields) in new (string, Dictionary<string, string>)[]
                 {
                     ("/account/tokens", new() { ["name"] = "minted" }), ("/account/password", new() { ["current"] = Password, ["password"] = "a brand new passphrase" }),
                     ("/account/signout-everywhere", []),
                 })
        {
            var request = Browser.WithBearer(HttpMethod.Post, url, token);
            request.Content = new FormUrlEncodedContent(fields);
            var r = await app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }).SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
            Assert.False(r.Headers.Contains("Set-Cookie") && r.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("dp_session=", StringComparison.Ordinal)));
        }
        Assert.Equal((1, 0), await app.WithDbAsync(async db => (await db.ApiTokens.CountAsync(), await db.Sessions.CountAsync())));
    }

    [Fact]
    public async Task ASuspensionEndsTheAccountsSessions()
    {
        await using var app = App();
        var (_, admin) = await Browser.UserWithTokenAsync(app, "admin@example.org", Roles.Admin);
        await new Browser(app).SignUpAsync("mallory@example.org", name: "Mallory");
        var (_, cookie) = await SignedInAsync(app, "mallory@example.org");
        var id = await app.WithDbAsync(db => db.Users.Where(u => u.Email == "mallory@example.org").Select(u => u.Id).SingleAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await Browser.SendAsync(app, HttpMethod.Post, $"/api/admin/users/{id}/suspend", admin)).StatusCode);
        Assert.False(await ReplayWorksAsync(app, cookie));
        Assert.True(await app.WithDbAsync(db => db.Sessions.Where(s => s.UserId == id).AllAsync(s => s.RevokedAt != null)));
        // Restored, the old session stays over: a new sign-in makes a new one.
        Assert.Equal(HttpStatusCode.NoContent, (await Browser.SendAsync(app, HttpMethod.Post, $"/api/admin/users/{id}/restore", admin)).StatusCode);
        Assert.False(await ReplayWorksAsync(app, cookie));
    }

    [Fact]
    public async Task ASessionIdleLongerThanThirtyDaysIsOver()
    {
        var clock = new Digest.TestClock(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
        await using var app = App().WithServices(s => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<TimeProvider>(s, clock));
        await new Browser(app).SignUpAsync("ada@example.org");
        var (browser, _) = await SignedInAsync(app, "ada@example.org");
        clock.Now += TimeSpan.FromDays(29);
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync("/account")).StatusCode); // used: last seen moves
        var lastSeen = await app.WithDbAsync(db => db.Sessions.Select(s => s.LastSeenAt).SingleAsync());
        Assert.Equal(clock.Now.UtcDateTime, lastSeen);
        // The row decides, not only the cookie's own expiry: a session whose row went unused for 30 days is over.
        await app.WithDbAsync(db => db.Sessions.ExecuteUpdateAsync(u => u.SetProperty(s => s.LastSeenAt, lastSeen - SessionService.Idle - TimeSpan.FromMinutes(1))));
        Assert.True(Browser.IsRedirectTo(await browser.Client.GetAsync("/account"), "/account/signin?ReturnUrl=%2Faccount"));
    }
}
