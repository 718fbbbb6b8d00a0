using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using DailyPapers.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DailyPapers.Tests.Search;

public class SearchApiTests
{
    static async Task<AppFactory> AppAsync(bool embed = false)
    {
        var app = new AppFactory();
        await app.ImportAsync("hf/2026-08-21.jsonl", "kaggle/arxiv-metadata-oai-snapshot.sample200.jsonl");
        if (embed)
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<Embeddings>().EmbedMissingAsync();
        }
        return app;
    }

    static async Task<List<string>> IdsAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync("/api/papers/search?" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var hits = await response.Content.ReadFromJsonAsync<JsonElement[]>();
        return hits!.Select(h => h.GetProperty("paper").GetProperty("id").GetString()!).ToList();
    }

    [Fact]
    public async Task KeywordSearchFindsTitlesAbstractsAndAuthorsWithStemming()
    {
        await using var app = await AppAsync();
        var client = app.CreateClient();
        Assert.Equal("2608.19880", (await IdsAsync(client, "q=awakening+static+worlds&mode=keyword"))[0]);
        Assert.Contains("2608.19880", await IdsAsync(client, "q=awaken+world&mode=keyword")); // porter stemming
        Assert.Equal(["2608.19880"], await IdsAsync(client, "q=author:%22Tomas+Pfister%22&mode=keyword"));
        Assert.Equal(["2608.18580"], await IdsAsync(client, "q=title:terminal&mode=keyword"));
        Assert.Equal(["0704.0001"], await IdsAsync(client, "q=%22prompt+diphoton+production%22&mode=keyword"));
    }

    [Fact]
    public async Task ExclusionsAndFiltersNarrowTheResults()
    {
        await using var app = await AppAsync();
        var client = app.CreateClient();
        var agents = await IdsAsync(client, "q=agents&mode=keyword&limit=50");
        var withoutTerminal = await IdsAsync(client, "q=agents+-terminal&mode=keyword&limit=50");
        Assert.Contains("2608.18580", agents);
        Assert.DoesNotContain("2608.18580", withoutTerminal);
        Assert.All(await IdsAsync(client, "q=agents&mode=keyword&has_code=true&limit=50"), id => Assert.StartsWith("2608.", id));
        var physics = await IdsAsync(client, "q=quantum&mode=keyword&category=quant-ph&limit=50");
        Assert.NotEmpty(physics);
        Assert.All(physics, id => Assert.StartsWith("0704.", id));
        Assert.Equal(physics, await IdsAsync(client, "q=quantum+cat:quant-ph&mode=keyword&limit=50"));
        Assert.Empty(await IdsAsync(client, "q=quantum&mode=keyword&from=2020-01-01"));
        Assert.NotEmpty(await IdsAsync(client, "q=quantum&mode=keyword&from=2007-01-01&to=2007-12-31"));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("q=&limit=121", "limit")]
    [InlineData("q=a&limit=0", "limit")]
    [InlineData("q=a&limit=121", "limit")]
    [InlineData("q=a&mode=fuzzy", "mode")]
    [InlineData("q=a&mode=1", "mode")]
    [InlineData("q=a&from=2026-13-01", "from")]
    [InlineData("q=a&from=2026-02-01&to=2026-01-01", "from must not be after to")]
    [InlineData("q=a&category=cs.LG%25", "category")]
    [InlineData("q=a&has_code=maybe", "has_code")]
    [InlineData("q=%F0%9F%9A%80", "at least one word")]
    public async Task BadSearchesAnswer400WithAMessage(string query, string message)
    {
        await using var app = new AppFactory();
        var response = await app.CreateClient().GetAsync("/api/papers/search?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("?q=")]
    [InlineData("?q=%20%20")]
    public async Task NoQueryAnswersTheFeaturedPapersByTrendingAsHuggingFaceDoes(string query)
    {
        await using var app = await AppAsync();
        var client = app.CreateClient();
        var hits = await client.GetFromJsonAsync<JsonElement[]>("/api/papers/search" + query);
        var expected = await app.WithDbAsync(db => db.Papers.Where(p => db.DailyEntries.Any(e => e.PaperId == p.Id))
            .OrderByDescending(p => p.Trending).ThenByDescending(p => p.ImportedUpvotes + p.LocalUpvotes).ThenBy(p => p.Id)
            .Select(p => p.Id).Take(SearchRequest.DefaultLimit).ToListAsync());
        Assert.Equal(expected, hits!.Select(h => h.GetProperty("paper").GetProperty("id").GetString()));
        Assert.All(hits!, h => Assert.Equal(h.GetProperty("paper").GetProperty("title").GetString()!.Replace("\n  ", " "), h.GetProperty("title").GetString()));
        var five = await client.GetFromJsonAsync<JsonElement[]>("/api/papers/search?limit=5" + query.Replace('?', '&'));
        Assert.Equal(expected.Take(5), five!.Select(h => h.GetProperty("paper").GetProperty("id").GetString()));
    }

    [Fact]
    public async Task HitsCarryTheTitleAndAuthorParticipationAtTheTopAsHuggingFaceDoes()
    {
        await using var app = await AppAsync();
        var hits = await app.CreateClient().GetFromJsonAsync<JsonElement[]>("/api/papers/search?q=diphoton&mode=keyword");
        var hit = hits!.First(h => h.GetProperty("paper").GetProperty("id").GetString() == "0704.0001");
        Assert.Equal("Calculation of prompt diphoton production cross sections at Tevatron and LHC energies", hit.GetProperty("title").GetString());
        Assert.False(hit.GetProperty("isAuthorParticipating").GetBoolean());
    }

    [Fact]
    public async Task QueriesOver250CharactersAnswer400()
    {
        await using var app = new AppFactory();
        var response = await app.CreateClient().GetAsync("/api/papers/search?q=" + new string('a', 251));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("title:")]
    [InlineData("author:\"")]
    [InlineData("- -- ---x")]
    [InlineData("{}[]()^:;,.!?")]
    public async Task SearchSyntaxWithNoWordLeftAnswers400WithAMessage(string q)
    {
        await using var app = await AppAsync();
        var response = await app.CreateClient().GetAsync("/api/papers/search?mode=keyword&q=" + Uri.EscapeDataString(q));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at least one word", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        var page = await app.CreateClient().GetAsync("/search?q=" + Uri.EscapeDataString(q));
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("at least one word", await page.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Query syntax in what a person types is never passed through: it finds what its plain words find. Stop words
    /// ("and", "or") are not looked for: alone they find nothing, beside other words they change nothing.
    /// </summary>
    [Theory]
    [InlineData("\"terminal", "terminal", 1)]
    [InlineData("title:\"terminal", "title:terminal", 1)]
    [InlineData("NEAR(agents", "\"near agents\"", 0)]
    [InlineData("NEAR( agents )", "near agents", 16)]
    [InlineData("AND", "and", 0)]
    [InlineData("agents OR", "agents or", 6)]
    [InlineData("agents OR", "agents", 6)]
    [InlineData("Núñez Ω 数学 🚀 agents", "agents", 6)]
    public async Task SearchSyntaxInUserTextFindsWhatItsWordsFind(string q, string plain, int hits)
    {
        await using var app = await AppAsync();
        var client = app.CreateClient();
        var found = await IdsAsync(client, $"mode=keyword&limit={SearchRequest.MaxLimit}&q=" + Uri.EscapeDataString(q));
        Assert.Equal(hits, found.Count);
        Assert.Equal(await IdsAsync(client, $"mode=keyword&limit={SearchRequest.MaxLimit}&q=" + Uri.EscapeDataString(plain)), found);
        var page = await client.GetAsync("/search?mode=keyword&q=" + Uri.EscapeDataString(q));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.All(found.Take(5), id => Assert.Contains($"/papers/{id}", html));
    }

    [Fact]
    public async Task WithoutVectorsSemanticFallsBackToKeywordsAndSaysSo()
    {
        await using var app = await AppAsync();
        var response = await app.CreateClient().GetAsync("/api/papers/search?q=terminal+agents&mode=semantic");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("keyword", response.Headers.GetValues("X-Search-Mode").Single());
        Assert.Contains("no paper has been embedded", response.Headers.GetValues("X-Search-Notice").Single());
        Assert.Contains("2608.18580", (await response.Content.ReadFromJsonAsync<JsonElement[]>())!.Select(h => h.GetProperty("paper").GetProperty("id").GetString()));
        var page = await app.CreateClient().GetStringAsync("/search?q=terminal+agents&mode=semantic");
        Assert.Contains("Semantic search is unavailable", page);
        var byDefault = await app.CreateClient().GetAsync("/api/papers/search?q=terminal+agents");
        Assert.Equal("keyword", byDefault.Headers.GetValues("X-Search-Mode").Single());
        Assert.False(byDefault.Headers.Contains("X-Search-Notice"));
    }

    [Fact]
    public async Task WithVectorsKeywordStaysTheDefaultAndSemanticFindsParaphrases()
    {
        await using var app = await AppAsync(embed: true);
        var client = app.CreateClient();
        var response = await client.GetAsync("/api/papers/search?q=how+do+robots+learn+to+grasp");
        Assert.Equal("keyword", response.Headers.GetValues("X-Search-Mode").Single());
        Assert.Equal("hybrid", (await client.GetAsync("/api/papers/search?q=how+do+robots+learn+to+grasp&mode=hybrid")).Headers.GetValues("X-Search-Mode").Single());
        // no word of the query is in the paper's title; its abstract is about robot policies
        Assert.Equal("2608.19891", (await IdsAsync(client, "q=how+do+robots+learn+to+grasp&mode=semantic"))[0]);
        var stats = await client.GetFromJsonAsync<JsonElement>("/api/stats");
        Assert.Equal(217, stats.GetProperty("embedded").GetInt32());
    }

    [Fact]
    public async Task SimilarPapersComeWithScoresAndNeverTheSamePaper()
    {
        await using var app = await AppAsync(embed: true);
        var similar = await app.CreateClient().GetFromJsonAsync<JsonElement[]>("/api/papers/2608.18580/similar");
        Assert.Equal(8, similar!.Length);
        Assert.DoesNotContain("2608.18580", similar.Select(s => s.GetProperty("paper").GetProperty("id").GetString()));
        var scores = similar.Select(s => s.GetProperty("score").GetDouble()).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
        // neighbours of an agent benchmark are this month's agent papers, not the 2007 physics of the Kaggle sample
        Assert.All(similar.Take(3), s => Assert.StartsWith("2608.", s.GetProperty("paper").GetProperty("id").GetString()));
        var page = await app.CreateClient().GetStringAsync("/papers/2608.18580");
        Assert.Contains("Similar papers", page);
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync("/api/papers/2405.99999/similar")).StatusCode);
        var physics = await app.CreateClient().GetFromJsonAsync<JsonElement[]>("/api/papers/0704.0001/similar?limit=5");
        var physicsIds = physics!.Select(s => s.GetProperty("paper").GetProperty("id").GetString()!).ToList();
        Assert.Equal(5, physicsIds.Count);
        Assert.DoesNotContain("0704.0001", physicsIds);
        Assert.All(physicsIds, id => Assert.StartsWith("0704.", id)); // physics neighbours for a physics paper
    }

    [Fact]
    public async Task WithoutVectorsSimilarPapersComeFromTheTitleWords()
    {
        await using var app = await AppAsync();
        var client = app.CreateClient();
        var similar = await client.GetFromJsonAsync<JsonElement[]>("/api/papers/2608.18580/similar?limit=5");
        var ids = similar!.Select(s => s.GetProperty("paper").GetProperty("id").GetString()!).ToList();
        Assert.Equal(5, ids.Count);
        Assert.DoesNotContain("2608.18580", ids);
        // What a keyword search for its title finds, less the paper itself.
        var title = "FACET: Preserving Source Intent and Executable State in Terminal Task Synthesis";
        var byTitle = await IdsAsync(client, "mode=keyword&limit=6&q=" + Uri.EscapeDataString(title));
        Assert.Equal("2608.18580", byTitle[0]);
        Assert.Equal(byTitle.Skip(1), ids);
    }

    [Fact]
    public async Task TheSearchPageHighlightsMatchesAndEscapesEverythingElse()
    {
        await using var app = new AppFactory();
        await app.ImportAsync("hf/2026-08-21.jsonl", Some.File(Some.HfEntry("2601.00001", "2026-01-05", title: "<img src=x onerror=alert(1)> terminal trick")));
        var html = await app.CreateClient().GetStringAsync("/search?q=terminal+%3Cscript%3E&mode=keyword");
        Assert.Contains("<mark>Terminal</mark>", html);
        Assert.DoesNotContain("<img src=x", html);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", html);
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("keyword search", html);
    }

    [Fact]
    public async Task TheSearchPageMarksStemsAndPhrasesInOrderButNeverStopWords()
    {
        await using var app = new AppFactory();
        var filler = string.Join(' ', Enumerable.Repeat("Unrelated words fill this abstract.", 20));
        await app.ImportAsync("hf/2026-08-21.jsonl", Some.File(Some.HfEntry("2601.00002", "2026-01-05", title: "Folding clothes with robots, and clothes that robots fold",
            paper: p => p["summary"] = $"Robots fold. {filler} A robot is folding clothes here.")));
        var html = await app.CreateClient().GetStringAsync("/search?q=%22fold+clothes%22+robot+with");
        // "fold clothes" only where the two stand in that order; "with", a stop word, never
        Assert.Contains("<mark>Folding</mark> <mark>clothes</mark> with <mark>robots</mark>, and clothes that <mark>robots</mark> fold", html);
        // the snippet is the stretch of the abstract with the most of the query, not its start
        Assert.Contains("<mark>robot</mark> is <mark>folding</mark> <mark>clothes</mark> here.", html);
        Assert.DoesNotContain("<mark>Robots</mark> fold.", html);
    }

    // The other process here is a raw SQLite connection to the app's file, so the test is SQLite's: test.sh runs it in
    // the SQLite pass only. On PostgreSQL another process's writes reach an instance through the data_version table
    // (Trust/TwoInstancesTests); search across instances is issue 14's open item.
    [Fact]
    [Trait("Engine", "sqlite")]
    public async Task WritesFromAnotherProcessReachTheNextSearch()
    {
        await using var app = await AppAsync();
        var client = app.CreateClient();
        Assert.Empty(await IdsAsync(client, "q=zanzibar&mode=keyword"));
        Assert.Empty(await IdsAsync(client, "q=zanzibar&mode=keyword")); // nothing changed since: no outbox query
        // another process (a CLI command on the same file) renames a paper, then hides it: each shows at the next search
        Write(app, "UPDATE papers SET title = 'Zanzibar quokka benchmark' WHERE id = '2608.18580'");
        Assert.Equal(["2608.18580"], await IdsAsync(client, "q=zanzibar&mode=keyword"));
        Write(app, "UPDATE papers SET hidden_at = '2026-11-30 00:00:00' WHERE id = '2608.18580'");
        Assert.Empty(await IdsAsync(client, "q=zanzibar&mode=keyword"));
    }

    static void Write(AppFactory app, string sql)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(app.DataDir, "dailypapers.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    [Fact]
    public async Task ASearchIsAFeed()
    {
        await using var app = await AppAsync();
        var client = app.CreateClient();
        var rss = XDocument.Parse(await client.GetStringAsync("/search.rss?q=agents&mode=keyword"));
        var ids = await IdsAsync(client, "q=agents&mode=keyword");
        Assert.Equal(6, ids.Count);
        Assert.Equal(ids, rss.Descendants("item").Select(i => i.Element("link")!.Value.Split("/papers/")[1]));
        XNamespace atomNs = "http://www.w3.org/2005/Atom";
        var atom = XDocument.Parse(await client.GetStringAsync("/search.atom?q=agents&mode=keyword"));
        Assert.Contains("agents", atom.Root!.Element(atomNs + "title")!.Value);
        var entries = atom.Root.Elements(atomNs + "entry").ToList();
        Assert.Equal(ids, entries.Select(e => e.Element(atomNs + "id")!.Value.Split("/papers/")[1]));
        Assert.All(entries, e => Assert.Contains("agent", (e.Element(atomNs + "title")!.Value + e.Element(atomNs + "summary")!.Value).ToLowerInvariant()));
        Assert.All(entries, e => Assert.NotEmpty(e.Elements(atomNs + "author")));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/search.rss?q=")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/search.atom?q=")).StatusCode);
    }

    [Fact]
    public async Task TheKeywordIndexFollowsEveryWriteInTheSameTransaction()
    {
        await using var app = await AppAsync();
        var client = app.CreateClient();
        // a newer arXiv version renames the paper: the old title stops matching, the new one matches
        await app.ImportAsync(Some.File(Some.HfEntry("2608.18580", "2026-08-22", title: "Zanzibar quokka benchmark", paper: p => p["id"] = "2608.18580v9")));
        Assert.Equal(["2608.18580"], await IdsAsync(client, "q=zanzibar+quokka&mode=keyword"));
        Assert.DoesNotContain("2608.18580", await IdsAsync(client, "q=title:FACET&mode=keyword"));
        // the index holds every visible paper with its current values (ids and a fingerprint of each indexed field)
        await using var scope = app.Services.CreateAsyncScope();
        var feed = scope.ServiceProvider.GetRequiredService<KeywordFeed>();
        Assert.Empty(await feed.VerifyAsync());
        Assert.True(await feed.RebuildAsync() > 100);
        Assert.Empty(await feed.VerifyAsync());
        Assert.Equal(["2608.18580"], await IdsAsync(client, "q=zanzibar+quokka&mode=keyword"));
    }

    /// <summary>
    /// More papers tie than the ranking rescores (KeywordRanking.RescoreDepth, 100): the smallest ids make the cut,
    /// wherever the index holds them. Imported in three parts, largest ids first, each indexed before the next (a
    /// search catches up), so the index holds the largest ids first.
    /// </summary>
    [Fact]
    public async Task TiesBeyondTheRescoringDepthGoToTheSmallestIds()
    {
        await using var app = new AppFactory();
        var client = app.CreateClient();
        var ids = Enumerable.Range(0, 150).Select(i => $"9903.{i:D5}").ToList();
        foreach (var part in ids.Chunk(50).Reverse())
        {
            await app.ImportAsync(Some.File([.. part.Select(id => Some.HfEntry(id, "2026-08-22", title: "Wombat okapi tie"))]));
            await IdsAsync(client, "q=wombat&mode=keyword");
        }
        Assert.Equal(ids.Take(20), await IdsAsync(client, "q=wombat+okapi&mode=keyword"));
        Assert.Equal(ids.Skip(100).Take(20), await IdsAsync(client, "q=wombat+okapi&mode=keyword&p=5"));
        Assert.Equal(ids.Take(20), await IdsAsync(client, "q=wombat+okapi+zebra&mode=keyword")); // the fallback: any of the words
    }

    [Fact]
    public async Task WordsSideBySideRankAboveTheSameWordsApart()
    {
        await using var app = new AppFactory();
        // The same words, as often, in texts of one length: BM25 alone ties them, and a tie goes to the smaller id
        // (9901.00001). Only term dependence puts the paper with "quokka zanzibar" side by side (and typed in that
        // order) first; the other pair of words appears only far apart.
        var apart = "Quokka methods one two three four five six seven eight nine ten for zanzibar.";
        var together = "Methods one two three four five six seven eight nine ten for quokka zanzibar.";
        await app.ImportAsync(Some.File(
            Some.HfEntry("9901.00001", "2026-08-22", title: "Study alpha", paper: p => p["summary"] = apart),
            Some.HfEntry("9901.00002", "2026-08-22", title: "Study gamma", paper: p => p["summary"] = together)));
        var client = app.CreateClient();
        Assert.Equal(["9901.00002", "9901.00001"], await IdsAsync(client, "q=quokka+zanzibar&mode=keyword"));
        Assert.Equal(["9901.00001", "9901.00002"], await IdsAsync(client, "q=methods+one&mode=keyword")); // both side by side: the tie stays
    }
}
