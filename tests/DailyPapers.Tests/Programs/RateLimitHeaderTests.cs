using System.Net;
using System.Text.RegularExpressions;
using DailyPapers.Tests.Community;

namespace DailyPapers.Tests.Programs;

/// <summary>
/// Limited routes tell each client where it stands, in the IETF draft's fields (draft-ietf-httpapi-ratelimit-headers):
/// RateLimit-Policy (quota per window) and RateLimit (what remains, seconds to the window's end), on 429s too.
/// </summary>
public partial class RateLimitHeaderTests
{
    const string Paper = "2608.19880";

    [Fact]
    public async Task EachClientSeesItsOwnCountsAndA429SaysWhenToComeBack()
    {
        await using var app = new AppFactory().With("Digest:Schedule", "false").With("RateLimits:Votes", "3").With("RateLimits:WindowSeconds", "600").WithoutJobs();
        await app.ImportAsync("hf/2026-08-21.jsonl");
        var (_, ada) = await Browser.UserWithTokenAsync(app, "ada@example.org");
        var (_, bob) = await Browser.UserWithTokenAsync(app, "bob@example.org");
        var client = app.CreateClient();
        Task<HttpResponseMessage> Vote(string token) => client.SendAsync(Browser.WithBearer(HttpMethod.Post, $"/api/papers/{Paper}/upvote", token));

        var first = await Vote(ada);
        Assert.Equal("\"votes\";q=3;w=600", Header(first, "RateLimit-Policy"));
        Assert.Equal(2, Remaining(first));
        Assert.Equal(1, Remaining(await Vote(ada)));
        Assert.Equal(2, Remaining(await Vote(bob))); // Bob's window is his own
        Assert.Equal(0, Remaining(await Vote(ada)));
        var refused = await Vote(ada);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(0, Remaining(refused));
        var reset = int.Parse(Match(refused).Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(reset, 1, 600);
        Assert.Equal(TimeSpan.FromSeconds(reset), refused.Headers.RetryAfter?.Delta);
        Assert.Contains("too many requests", await refused.Content.ReadAsStringAsync());
        Assert.Equal(1, Remaining(await Vote(bob)));
    }

    [Fact]
    public async Task RoutesWithoutALimitAndSharedPagesCarryNoCounts()
    {
        await using var app = new AppFactory().With("Digest:Schedule", "false").WithoutJobs();
        await app.ImportAsync("hf/2026-08-21.jsonl");
        var client = app.CreateClient();
        foreach (var url in new[] { "/", "/", $"/api/papers/{Paper}", $"/api/papers/{Paper}" })
            Assert.False((await client.GetAsync(url)).Headers.Contains("RateLimit"), url);
    }

    static string Header(HttpResponseMessage r, string name) => string.Join(",", r.Headers.GetValues(name));

    static Match Match(HttpResponseMessage r)
    {
        var m = RateLimitPattern().Match(Header(r, "RateLimit"));
        Assert.True(m.Success, Header(r, "RateLimit"));
        return m;
    }

    static int Remaining(HttpResponseMessage r) => int.Parse(Match(r).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex("^\"votes\";r=(\\d+);t=(\\d+)$")]
    private static partial Regex RateLimitPattern();
}
