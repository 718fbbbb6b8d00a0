using System.Net.Http.Json;
using System.Globalization;
using System.Net;
using System.Text.Json;
using DailyPapers.Discovery;

namespace DailyPapers.Tests.Discovery;

/// <summary>/categories/{category}: a category is only itself, an archive takes all its categories (and not math-ph for math).</summary>
public class CategoryPageTests
{
    const string Kaggle = "kaggle/arxiv-metadata-oai-snapshot.sample200.jsonl";

    /// <summary>The Kaggle records as (id, first version, categories), read apart from the app.</summary>
    static List<(string Id, DateTime Published, string[] Categories)> Records() => Fixture.Lines(Kaggle).Select(l => JsonDocument.Parse(l).RootElement)
        .Select(r => (r.GetProperty("id").GetString()!,
            DateTime.ParseExact(r.GetProperty("versions")[0].GetProperty("created").GetString()!, "ddd, d MMM yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture),
            r.GetProperty("categories").GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToList();

    static List<string> Expected(Func<string, bool> wanted) => Records().Where(r => r.Categories.Any(wanted))
        .OrderByDescending(r => r.Published).ThenByDescending(r => r.Id, StringComparer.Ordinal).Select(r => r.Id).ToList();

    public static TheoryData<string, string> Cases => new()
    {
        { "math", "math" }, { "math.CO", "math.CO" }, { "MATH.co", "math.CO" }, { "cond-mat", "cond-mat" },
        { "cond-mat.mes-hall", "cond-mat.mes-hall" }, { "hep-th", "hep-th" }, { "math-ph", "math-ph" },
    };

    [Theory, MemberData(nameof(Cases))]
    public async Task ACategoryPageListsItsPapersNewestFirstInEveryFormat(string typed, string category)
    {
        await using var app = new AppFactory();
        await app.ImportAsync(Kaggle, "hf/2026-08-21.jsonl");
        var client = app.CreateClient();
        // The rule, written out: the category itself; for an archive, also each of its categories.
        var expected = Expected(c => c == category || (!category.Contains('.') && c.StartsWith(category + ".", StringComparison.Ordinal)));
        Assert.NotEmpty(expected);
        var html = await client.GetStringAsync(Links.Category(typed) + "?limit=100");
        Assert.Equal(expected, Read.Cards(html));
        Assert.Contains($"<h1>{category}", html);
        Assert.Contains("200 of 217 papers here carry them", html); // the 17 Hugging Face papers have none
        Assert.Contains($"name=\"kind\" value=\"category\" /><input type=\"hidden\" name=\"value\" value=\"{category}\" />", html);
        var (body, ids) = await Read.ApiAsync(client, $"/api{Links.Category(typed)}?limit=100");
        Assert.Equal(expected, ids);
        Assert.Equal((200, 217), (body.GetProperty("withCategories").GetInt32(), body.GetProperty("allPapers").GetInt32()));
        Assert.Equal(expected, await Read.FeedAsync(client, Links.Category(typed) + ".rss?limit=100"));
        Assert.Equal(expected.Take(50).ToList(), await Read.FeedAsync(client, Links.Category(typed) + ".atom"));
    }

    [Fact]
    public async Task TheCategoriesPageCountsEachPaperOncePerArchive()
    {
        await using var app = new AppFactory();
        await app.ImportAsync(Kaggle);
        var records = Records();
        var body = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/categories");
        var archives = body.GetProperty("archives").EnumerateArray().ToDictionary(
            a => a.GetProperty("archive").GetProperty("category").GetString()!, a => a.GetProperty("archive").GetProperty("papers").GetInt32());
        var expected = records.SelectMany(r => r.Categories.Select(c => c.Split('.')[0]).Distinct()).GroupBy(a => a).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(expected.OrderBy(e => e.Key), archives.OrderBy(e => e.Key));
        var math = body.GetProperty("archives").EnumerateArray().Single(a => a.GetProperty("archive").GetProperty("category").GetString() == "math");
        var mathCo = math.GetProperty("categories").EnumerateArray().Single(c => c.GetProperty("category").GetString() == "math.CO").GetProperty("papers").GetInt32();
        Assert.Equal(records.Count(r => r.Categories.Contains("math.CO")), mathCo);
        var html = await app.CreateClient().GetStringAsync("/categories");
        Assert.Contains($"<a href=\"/categories/math.CO\">math.CO</a><span class=\"count\" title=\"papers\">{mathCo}</span>", html);
        Assert.Contains("200 of 200 papers here carry them", html);
    }

    [Fact]
    public async Task AValidCategoryWithoutPapersIsAnEmptyListThatSaysWhy()
    {
        await using var app = new AppFactory();
        await app.ImportAsync("hf/2026-08-21.jsonl");
        var r = await app.CreateClient().GetAsync("/categories/cs.CV");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var html = await r.Content.ReadAsStringAsync();
        Assert.Contains("No paper here is in cs.CV yet.", html);
        Assert.Contains("0 of 17 papers here carry them", html);
        Assert.Empty(await Read.FeedAsync(app.CreateClient(), "/categories/cs.CV.rss"));
    }

    [Theory]
    [InlineData("/categories/cs.LG'%20OR%201=1%20--", "text/html")]
    [InlineData("/api/categories/cs.", "application/json")]
    [InlineData("/categories/cs.LG.x.rss", "application/json")]
    public async Task WhatIsNotACategoryIsA400(string url, string type)
    {
        await using var app = new AppFactory();
        var r = await app.CreateClient().GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal(type, r.Content.Headers.ContentType?.MediaType);
        Assert.Contains("is not an arXiv category like cs.LG or an archive like cs", await r.Content.ReadAsStringAsync());
    }
}
