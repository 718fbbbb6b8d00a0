using System.Net;
using DailyPapers.Accounts;
using DailyPapers.Tests.Community;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Tests.Trust;

/// <summary>
/// Races decided by keys, portably (no engine-specific exception types or locking): of any number of sign-ups at
/// once on an empty hub exactly one is the admin, and simultaneous sign-ups of one new address get the answer any
/// known address gets, never a 500.
/// </summary>
public class SignUpRaceTests
{
    static AppFactory App() => new AppFactory().With("Digest:Schedule", "false").With("RateLimits:Accounts", "1000");

    static async Task<HttpResponseMessage[]> SignUpAtOnceAsync(AppFactory app, IReadOnlyList<string> emails)
    {
        var browsers = emails.Select(_ => new Browser(app)).ToList();
        var tokens = await Task.WhenAll(browsers.Select(b => b.TokenAsync("/account/signup")));
        using var start = new SemaphoreSlim(0);
        var posts = browsers.Select(async (b, i) =>
        {
            var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["email"] = emails[i], ["name"] = $"User {i}", ["password"] = "correct horse battery", ["__RequestVerificationToken"] = tokens[i],
            });
            await start.WaitAsync();
            return await b.Client.PostAsync("/account/signup", form);
        }).ToList();
        start.Release(emails.Count);
        return await Task.WhenAll(posts);
    }

    [Fact]
    public async Task TenSignUpsAtOnceOnAnEmptyHubMakeExactlyOneAdmin()
    {
        await using var app = App();
        var responses = await SignUpAtOnceAsync(app, Enumerable.Range(0, 10).Select(i => $"user{i}@example.org").ToList());
        Assert.All(responses, r => Assert.True(Browser.IsRedirectTo(r, "/account/signin"), r.StatusCode.ToString()));
        var roles = await app.WithDbAsync(db => db.Users.Select(u => u.Role).ToListAsync());
        Assert.Equal(10, roles.Count);
        Assert.Single(roles, Roles.Admin);
        var first = await app.WithDbAsync(db => db.Database.SqlQueryRaw<long>("SELECT user_id AS \"Value\" FROM first_account").SingleAsync());
        Assert.Equal(Roles.Admin, await app.WithDbAsync(db => db.Users.Where(u => u.Id == first).Select(u => u.Role).SingleAsync()));
    }

    [Fact]
    public async Task SignUpsOfOneNewAddressAtOnceAllGetTheKnownAddressAnswer()
    {
        await using var app = App();
        var responses = await SignUpAtOnceAsync(app, Enumerable.Repeat("same@example.org", 8).ToList());
        Assert.All(responses, r => Assert.True(Browser.IsRedirectTo(r, "/account/signin"), r.StatusCode.ToString()));
        Assert.Equal(1, await app.WithDbAsync(db => db.Users.CountAsync()));
        // One verification mail; every other request got the notice a known address gets.
        var kinds = await app.WithDbAsync(db => db.Outbox.Where(m => m.Recipient == "same@example.org").Select(m => m.Kind).ToListAsync());
        Assert.Equal((1, 7), (kinds.Count(k => k == "verify"), kinds.Count(k => k == "account-exists")));
    }

    [Fact]
    public async Task AnAccountMadeBeforeTheFirstSignUpKeepsTheAdminSeat()
    {
        await using var app = App();
        await Browser.UserWithTokenAsync(app, "made-by-cli@example.org", Roles.Member);
        Assert.True(Browser.IsRedirectTo(await new Browser(app).SignUpAsync("web@example.org"), "/account/signin"));
        Assert.DoesNotContain(Roles.Admin, await app.WithDbAsync(db => db.Users.Select(u => u.Role).ToListAsync()));
    }
}
