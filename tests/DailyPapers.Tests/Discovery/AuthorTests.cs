using System.Net;
using System.Text.Json;
using DailyPapers.Discovery;

namespace DailyPapers.Tests.Discovery;

/// <summary>/authors/{name}: exactly that author's papers, newest first, co-authors, feeds and JSON from the same query.</summary>
public class AuthorTests
{
    static readonly string[] Files = ["hf/week-2026-W34.jsonl", "hf/2026-08-21.jsonl"];

    static async Task<AppFactory> AppAsync(params string[] more)
    {
        var app = new AppFactory();
        await app.ImportAsync([.. Files, .. more]);
        return app;
    }

    static List<string> Expected(string name) =>
        FixturePaper.NewestFirst(FixturePaper.Read(Files).Where(p => p.Authors.Any(a => string.Equals(a, name, StringComparison.OrdinalIgnoreCase))));

    [Theory]
    [InlineData("Kaipeng Zhang")] // the most papers in the fixtures
    [InlineData("Kai Chen")]      // inside Zukai Chen and Yankai Chen, who are other people
    [InlineData("kai CHEN")]      // any case
    public async Task AnAuthorsPageListsExactlyTheirPapersNewestFirst(string name)
    {
        await using var app = await AppAsync();
        var client = app.CreateClient();
        var expected = Expected(name);
        Assert.True(expected.Count >= 2);
        Assert.Equal(expected, Read.Cards(await client.GetStringAsync(Links.Author(name))));
        var (body, ids) = await Read.ApiAsync(client, "/api" + Links.Author(name));
        Assert.Equal(expected, ids);
        Assert.Equal(expected.Count, body.GetProperty("total").GetInt32());
        Assert.Equal(expected, await Read.FeedAsync(client, Links.Author(name) + ".rss"));
        Assert.Equal(expected, await Read.FeedAsync(client, Links.Author(name) + ".atom"));
    }

    [Fact]
    public async Task CoAuthorsAreTheMostFrequentOtherNamesOnTheirPapers()
    {
        await using var app = await AppAsync();
        const string name = "Kaipeng Zhang";
        var papers = FixturePaper.Read(Files).Where(p => p.Authors.Contains(name)).DistinctBy(p => p.Id).ToList();
        var expected = papers.SelectMany(p => p.Authors.Where(a => a != name).Distinct()).GroupBy(a => a)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(20).Select(g => (g.Key, g.Count())).ToList();
        var (body, _) = await Read.ApiAsync(app.CreateClient(), "/api" + Links.Author(name));
        var coAuthors = body.GetProperty("coAuthors").EnumerateArray().Select(c => (c.GetProperty("name").GetString()!, c.GetProperty("papers").GetInt32())).ToList();
        Assert.Equal(expected, coAuthors);
        Assert.True(expected[0].Item2 >= 2); // someone wrote more than one of them with Kaipeng Zhang
        var html = await app.CreateClient().GetStringAsync(Links.Author(name));
        Assert.Contains($"<a href=\"{Links.Author(expected[0].Key)}\">{expected[0].Key}</a>", html);
    }

    [Fact]
    public async Task NamesWithAccentsSpacesAndSlashesRoundTrip() // and the odd name stored with two spaces
    {
        var odd = Some.File(Some.HfEntry("2608.00001", "2026-08-21", paper: p => p["authors"] = new System.Text.Json.Nodes.JsonArray(
            new System.Text.Json.Nodes.JsonObject { ["name"] = "AC/DC Müller" }, new System.Text.Json.Nodes.JsonObject { ["name"] = "Zoë Ørsted" },
            new System.Text.Json.Nodes.JsonObject { ["name"] = "Émile  Zola" })));
        await using var app = await AppAsync(odd);
        var client = app.CreateClient();
        foreach (var (asked, shown) in new[] { ("Jakub Piotr Cłapa", "Jakub Piotr Cłapa"), ("jakub piotr cŁapa", "Jakub Piotr Cłapa"), ("AC/DC Müller", "AC/DC Müller"), ("Zoë Ørsted", "Zoë Ørsted"), ("émile zola", "Émile  Zola") })
        {
            var url = Links.Author(asked);
            var response = await client.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
            Assert.Contains($"<h1>{shown}</h1>", await response.Content.ReadAsStringAsync());
            var (body, ids) = await Read.ApiAsync(client, "/api" + url);
            Assert.Equal(shown, body.GetProperty("name").GetString());
            Assert.NotEmpty(ids);
        }
        // Links to them are escaped once, and lead back to the same page.
        var coAuthorPage = await client.GetStringAsync(Links.Author("Zoë Ørsted"));
        Assert.Contains("href=\"/authors/AC%2FDC%20M%C3%BCller\"", coAuthorPage);
        Assert.Contains("value=\"Zoë Ørsted\"", coAuthorPage); // the follow form names the author as stored
    }

    [Theory]
    [InlineData("Ada%20Lovelace")] // nobody here
    [InlineData("%25")]            // LIKE's wildcards find nobody either
    [InlineData("_")]
    [InlineData("Kai%20Che")]      // a part of a name is not the name
    public async Task AnUnknownAuthorIsA404InEachFormat(string raw)
    {
        await using var app = await AppAsync();
        var client = app.CreateClient();
        var page = await client.GetAsync("/authors/" + raw);
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<p class=\"notice\">No papers by ", await page.Content.ReadAsStringAsync());
        foreach (var url in new[] { $"/api/authors/{raw}", $"/authors/{raw}.rss", $"/authors/{raw}.atom" })
        {
            var r = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
            Assert.Equal("application/json", r.Content.Headers.ContentType?.MediaType);
        }
    }

    [Theory]
    [InlineData("/authors/%20", "an author's name is required")]
    [InlineData("/authors/Kai%0AChen", "holds control characters")]
    [InlineData("/authors/Kai%20Chen?p=-1", "p '-1' must be a whole number")]
    [InlineData("/authors/Kai%20Chen?limit=101", "limit '101' must be a whole number from 1 to 100")]
    public async Task BadNamesAndPagesAreA400(string url, string message)
    {
        await using var app = await AppAsync();
        var r = await app.CreateClient().GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains(message, WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task ListsArePagedWithTheDailyListsParametersAndHeaders()
    {
        await using var app = await AppAsync();
        var client = app.CreateClient();
        var expected = Expected("Kaipeng Zhang");
        var first = await client.GetAsync("/api/authors/Kaipeng%20Zhang?limit=3");
        Assert.Equal(expected.Count.ToString(), first.Headers.GetValues("X-Total-Count").Single());
        Assert.Contains("p=1", first.Headers.GetValues("Link").Single());
        var (_, second) = await Read.ApiAsync(client, "/api/authors/Kaipeng%20Zhang?limit=3&p=1");
        Assert.Equal(expected.Skip(3).ToList(), second);
        var html = await client.GetStringAsync("/authors/Kaipeng%20Zhang?limit=3");
        Assert.Equal(expected.Take(3).ToList(), Read.Cards(html));
        Assert.Contains("rel=\"next\" href=\"/authors/Kaipeng%20Zhang?p=1&amp;limit=3\"", html);
    }

    [Fact]
    public async Task TheFollowButtonIsAPlainFormForEveryReader()
    {
        await using var app = await AppAsync();
        var html = await app.CreateClient().GetStringAsync("/authors/Kaipeng%20Zhang");
        Assert.Contains("<form class=\"follow\" method=\"post\" action=\"/follows\"><input type=\"hidden\" name=\"kind\" value=\"author\" />" +
                        "<input type=\"hidden\" name=\"value\" value=\"Kaipeng Zhang\" /><input type=\"hidden\" name=\"back\" value=\"/authors/Kaipeng%20Zhang\" />" +
                        "<button type=\"submit\">Follow Kaipeng Zhang</button></form>", html);
    }
}
