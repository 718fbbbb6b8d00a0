using System.Net;
using DailyPapers.Discovery;

namespace DailyPapers.Tests.Discovery;

/// <summary>/organizations/{name}: the papers Hugging Face lists under an organisation, on the paper or on its daily entry.</summary>
public class OrganizationTests
{
    static readonly string[] Files = ["hf/week-2026-W34.jsonl", "hf/2026-08-21.jsonl"];

    [Theory]
    [InlineData("tencent", "Tencent")]
    [InlineData("TENCENT", "Tencent")] // handles are matched ignoring case
    [InlineData("google", "Google")]
    public async Task AnOrganisationsPageListsThePapersListedUnderIt(string asked, string fullname)
    {
        await using var app = new AppFactory();
        await app.ImportAsync(Files);
        var client = app.CreateClient();
        var expected = FixturePaper.NewestFirst(FixturePaper.Read(Files).Where(p => p.Organizations.Any(o => string.Equals(o, asked, StringComparison.OrdinalIgnoreCase))));
        Assert.NotEmpty(expected);
        var html = await client.GetStringAsync(Links.Organization(asked));
        Assert.Contains($"<h1>{fullname}</h1>", html);
        Assert.Equal(expected, Read.Cards(html));
        var handle = asked.ToLowerInvariant();
        Assert.Contains($"<input type=\"hidden\" name=\"kind\" value=\"organization\" /><input type=\"hidden\" name=\"value\" value=\"{handle}\" />", html);
        var (body, ids) = await Read.ApiAsync(client, "/api" + Links.Organization(asked));
        Assert.Equal(expected, ids);
        Assert.Equal((handle, fullname), (body.GetProperty("name").GetString(), body.GetProperty("fullname").GetString()));
        Assert.Equal(expected, await Read.FeedAsync(client, Links.Organization(asked) + ".rss"));
        Assert.Equal(expected, await Read.FeedAsync(client, Links.Organization(asked) + ".atom"));
    }

    [Theory]
    [InlineData("/organizations/no-such-org", HttpStatusCode.NotFound, "text/html")]
    [InlineData("/api/organizations/no-such-org", HttpStatusCode.NotFound, "application/json")]
    [InlineData("/organizations/no-such-org.rss", HttpStatusCode.NotFound, "application/json")]
    [InlineData("/organizations/goo%20gle", HttpStatusCode.BadRequest, "text/html")]
    [InlineData("/api/organizations/g%C3%B6ogle", HttpStatusCode.BadRequest, "application/json")]
    public async Task UnknownAndMalformedNamesAreClear4xx(string url, HttpStatusCode status, string type)
    {
        await using var app = new AppFactory();
        await app.ImportAsync(Files);
        var r = await app.CreateClient().GetAsync(url);
        Assert.Equal(status, r.StatusCode);
        Assert.Equal(type, r.Content.Headers.ContentType?.MediaType);
    }
}
