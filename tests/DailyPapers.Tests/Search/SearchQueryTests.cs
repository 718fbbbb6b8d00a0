using DailyPapers.Search;

namespace DailyPapers.Tests.Search;

public class SearchQueryTests
{
    static SearchQuery Parse(string text)
    {
        Assert.True(SearchQuery.TryParse(text, out var q, out var error), error);
        return q;
    }

    [Fact]
    public void WordsPhrasesFieldsAndExclusionsAreUnderstood()
    {
        var q = Parse("diffusion \"video generation\" title:transformer author:\"Yann LeCun\" -survey cat:cs.CV");
        Assert.Equal(
            [("diffusion", SearchField.Any, false, false), ("video generation", SearchField.Any, false, true),
             ("transformer", SearchField.Title, false, false), ("Yann LeCun", SearchField.Author, false, true),
             ("survey", SearchField.Any, true, false)],
            q.Terms.Select(t => (t.Text, t.Field, t.Excluded, t.Phrase)));
        Assert.Equal(["cs.CV"], q.Categories);
        Assert.Equal("(\"diffusion\" AND \"video generation\" AND title : \"transformer\" AND authors : \"Yann LeCun\") NOT \"survey\"",
            KeywordSearch.Match(q, "AND"));
    }

    [Theory]
    [InlineData("NEAR(\"a b\", 3)", "(\"NEAR a b\" AND \"3\")")]
    [InlineData("\"unbalanced quote", "(\"unbalanced quote\")")]
    [InlineData("AND", "(\"AND\")")]
    [InlineData("a OR b", "(\"a\" AND \"OR\" AND \"b\")")]
    [InlineData("trans*", "(\"trans\" *)")]
    [InlineData("x * y", "(\"x\" AND \"y\")")]
    [InlineData("state-of-the-art", "(\"state of the art\")")]
    [InlineData("Núñez 🚀", "(\"Núñez\")")]
    [InlineData("'; DROP TABLE papers; --", "(\"DROP\" AND \"TABLE\" AND \"papers\")")]
    public void SearchSyntaxInUserTextBecomesQuotedWords(string text, string match) =>
        Assert.Equal(match, KeywordSearch.Match(Parse(text), "AND"));

    [Theory]
    [InlineData("", "must not be empty")]
    [InlineData("   ", "must not be empty")]
    [InlineData("🚀 ✨", "at least one word")]
    [InlineData("-only -negative", "at least one word")]
    [InlineData("\"\"", "at least one word")]
    public void QueriesWithNothingToFindAreRefused(string text, string error)
    {
        Assert.False(SearchQuery.TryParse(text, out _, out var message));
        Assert.Contains(error, message);
    }

    [Fact]
    public void QueriesOver250CharactersAreRefused()
    {
        Assert.True(SearchQuery.TryParse(new string('a', 250), out _, out _));
        Assert.False(SearchQuery.TryParse(new string('a', 251), out _, out var error));
        Assert.Contains("250", error);
    }

    [Fact]
    public void HybridFusionKeepsAClearKeywordWinnerAndRewardsAgreement()
    {
        // bm25 is lower-is-better; a is the clear keyword match, c is liked by both lists
        KeywordHit[] keyword = [new("a", -10), new("b", -4), new("c", -3.5)];
        VectorHit[] semantic = [new("d", 0.60f), new("c", 0.58f), new("e", 0.55f)];
        var cosines = new Dictionary<string, double> { ["d"] = 0.60, ["c"] = 0.58, ["e"] = 0.55, ["a"] = 0.50, ["b"] = 0.30 };
        var fused = SearchService.Fuse(keyword, semantic, cosines, keywordShare: 0.5);
        Assert.Equal(["a", "c", "d", "e", "b"], fused.Select(f => f.Id));
        // a: keyword 10/10, cosine 0.50/0.60, halves averaged
        Assert.Equal(0.5 * 1.0 + 0.5 * (0.50 / 0.60), fused[0].Score, 9);
    }
}
