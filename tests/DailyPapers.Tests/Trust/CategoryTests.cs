using System.Net.Http.Json;
using System.Text.Json;
using DailyPapers.Accounts;
using DailyPapers.Digest;
using DailyPapers.Papers;
using DailyPapers.Search;
using DailyPapers.Tests.Community;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Tests.Trust;

/// <summary>One ArxivCategory rule reads categories and decides which papers are in one, for every matcher.</summary>
public class CategoryTests
{
    [Theory]
    [InlineData("cs.LG", "cs.LG")]
    [InlineData("cs.lg", "cs.LG")]
    [InlineData(" CS.LG ", "cs.LG")]
    [InlineData("cond-mat.stat-mech", "cond-mat.stat-mech")]
    [InlineData("COND-MAT.Stat-Mech", "cond-mat.stat-mech")]
    [InlineData("astro-ph.co", "astro-ph.CO")]
    [InlineData("hep-th", "hep-th")]
    [InlineData("Math", "math")]
    public void CategoriesAreReadIntoArxivsSpelling(string typed, string category)
    {
        Assert.True(ArxivCategory.TryParse(typed, out var read));
        Assert.Equal(category, read);
    }

    [Theory]
    [InlineData("")]
    [InlineData("cs.")]
    [InlineData(".LG")]
    [InlineData("cs LG")]
    [InlineData("cs.LG' OR 1=1 --")]
    [InlineData("cs.LG.x")]
    [InlineData("c5.LG")]
    [InlineData("abcdefghijklmnopqrstuvwxyz.ABCDEFG")]
    public void WhatIsNotACategoryIsRefused(string typed) => Assert.False(ArxivCategory.TryParse(typed, out _));

    /// <summary>
    /// 200 real Kaggle records: for archives and categories, typed as people type them, the search filter (SQL), cat:
    /// alone (another SQL path), the digest picker and harvest's set filter all pick the papers the rule picks.
    /// </summary>
    [Theory]
    [InlineData("math")]
    [InlineData("math.CO")]
    [InlineData("MATH.co")]
    [InlineData("cond-mat")]
    [InlineData("cond-mat.mes-hall")]
    [InlineData("hep-th")]
    [InlineData("astro-ph")]
    [InlineData("cs.CG")]
    public async Task EveryMatcherPicksThePapersTheRulePicks(string typed)
    {
        await using var app = new AppFactory();
        await app.ImportAsync("kaggle/arxiv-metadata-oai-snapshot.sample200.jsonl");
        Assert.True(ArxivCategory.TryParse(typed, out var category));
        var papers = await app.WithDbAsync(db => db.Papers.AsNoTracking().ToListAsync());
        var expected = papers.Where(p => ArxivCategory.Matches(p.Categories, category)).Select(p => p.Id).Order().ToList();
        Assert.NotEmpty(expected);

        var api = app.CreateClient();
        Assert.Equal(expected, await IdsAsync(api, $"/api/papers/search?q=cat:{Uri.EscapeDataString(typed)}&limit=120&mode=keyword"));
        // The commonest title word that search looks for (stop words such as "of" are not: KeywordDocument)
        var word = papers.Where(p => expected.Contains(p.Id)).SelectMany(p => Candidate.Tokens(p.Title))
            .Where(w => KeywordDocument.Terms(KeywordDocument.Title, w).Count > 0).GroupBy(w => w).MaxBy(g => g.Count())!.Key;
        var withWord = papers.Where(p => expected.Contains(p.Id) && Candidate.Tokens(p.Title + " " + p.Summary + " " + p.AuthorNames).Contains(word)).Select(p => p.Id).Order().ToList();
        var filtered = await IdsAsync(api, $"/api/papers/search?q={word}&category={Uri.EscapeDataString(typed)}&limit=120&mode=keyword");
        Assert.Subset(expected.ToHashSet(), filtered.ToHashSet()); // words match stemmed forms too, so at least these
        Assert.Superset(withWord.ToHashSet(), filtered.ToHashSet());

        var picker = new DigestPicker(papers.Select(p => new Candidate(p.Id, p.Title, p.Summary, p.AuthorNames, p.Categories, null)).ToList(), 0.5);
        // Topics are read by the subscription rules (the API, the form, follows) before the picker sees them.
        Assert.True(SubscriptionRules.TryPreferences(null, null, new Topics([typed], [], null, []), out var preferences, out _));
        var (canonicalIds, canonicalMatched) = picker.Pick(preferences.Topics, null, papers.Count);
        Assert.Equal(expected, canonicalIds.Take(canonicalMatched).Order().ToList());
        Assert.Equal(expected, papers.Where(p => global::DailyPapers.Ingest.ArxivSets.Wanted(p.Categories, [typed])).Select(p => p.Id).Order().ToList());
    }

    static async Task<List<string>> IdsAsync(HttpClient api, string url) =>
        (await api.GetFromJsonAsync<JsonElement[]>(url))!.Select(h => h.GetProperty("paper").GetProperty("id").GetString()!).Order().ToList();

    [Fact]
    public async Task PagesSayThatOnlyPapersSeenThroughArxivHaveCategories()
    {
        await using var app = new AppFactory().With("Digest:Schedule", "false");
        await app.ImportAsync("hf/2026-08-21.jsonl", "arxiv/id_list_1111.2011v2.xml");
        var page = await app.CreateClient().GetStringAsync("/search?q=lattice&category=cond-mat");
        Assert.Contains("Categories come from arXiv: 1 of 18 papers here carry them", page);
        var (_, token) = await Browser.UserWithTokenAsync(app, "reader@example.org", Roles.Admin);
        Assert.True((await Browser.SendAsync(app, HttpMethod.Post, "/api/follows", token, new { kind = "category", value = "CS.lg" })).IsSuccessStatusCode);
        Assert.Contains("\"value\":\"cs.LG\"", await (await Browser.SendAsync(app, HttpMethod.Get, "/api/follows", token)).Content.ReadAsStringAsync());
        var forYou = await (await Browser.SendAsync(app, HttpMethod.Get, "/for-you", token)).Content.ReadAsStringAsync();
        Assert.Contains("Categories come from arXiv: 1 of 18 papers here carry them", forYou);
    }
}
