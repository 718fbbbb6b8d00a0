using DailyPapers.Search;

namespace DailyPapers.Tests.Search;

[Trait("Engine", "none")] // pure functions: no database, so test.sh runs them once, not again on PostgreSQL
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
        Assert.Equal("+diffus +\"video gener\" +transform +authors:\"yann lecun\" -survei", InTitle(q));
    }

    /// <summary>
    /// The Lucene query a typed query becomes, as the title field sees it: each typed term is a required clause
    /// (+), an exclusion a prohibited one (-); words are stemmed, stop words dropped (a phrase keeps their place, ?).
    /// </summary>
    static string InTitle(SearchQuery q) =>
        KeywordSearch.QueryOf(q) is not { } query ? "" : string.Join(" ", query.Clauses.Select(c =>
            (c.Occur == Lucene.Net.Search.Occur.MUST_NOT ? "-" : "+") + Title(c.Query)));

    static string Title(Lucene.Net.Search.Query q) => q is Lucene.Net.Search.DisjunctionMaxQuery d
        ? d.Disjuncts.Single(x => x.ToString().StartsWith("title:", StringComparison.Ordinal)).ToString("title").Split('^')[0]
        : q.ToString("title").Split('^')[0];

    [Theory]
    [InlineData("NEAR(\"a b\", 3)", "+\"near ? b\" +3")]
    [InlineData("\"unbalanced quote", "+\"unbalanc quot\"")]
    [InlineData("AND", "")]
    [InlineData("a OR b", "+b")]
    [InlineData("trans*", "+trans*")]
    [InlineData("x * y", "+x +y")]
    [InlineData("state-of-the-art", "+\"state ? ? art\"")]
    [InlineData("Núñez 🚀", "+nunez")]
    [InlineData("title:(x) author:[y] AND:z ~q^2 {w}", "+x +authors:y +z +\"q 2\" +w")]
    [InlineData("'; DROP TABLE papers; --", "+drop +tabl +paper")]
    public void SearchSyntaxInUserTextBecomesWords(string text, string lucene) =>
        Assert.Equal(lucene, InTitle(Parse(text)));

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

    [Theory]
    [InlineData(new[] { 0, 5 }, new[] { 1, 9 }, 1f / 3, 1f / 3 + 1f / 6 + 1f / 6)] // b right after a; neighbours 1, 4 and 4 apart
    [InlineData(new[] { 3 }, new[] { 1 }, 0f, 1f / 4)] // reversed: unordered only
    [InlineData(new[] { 0 }, new[] { 2 }, 1f / 4, 1f / 4)] // one word between: still ordered (slop 1)
    [InlineData(new[] { 0 }, new[] { 3 }, 0f, 1f / 5)] // two between: unordered only
    [InlineData(new[] { 0 }, new[] { 8 }, 0f, 0f)] // beyond the window of 8 words
    [InlineData(new int[0], new[] { 1 }, 0f, 0f)]
    public void TermDependenceCountsPairsAsLuceneSpansWeightThem(int[] a, int[] b, float ordered, float unordered)
    {
        var (o, u) = TermDependence.Frequencies(a, b, window: 8);
        Assert.Equal(ordered, o, 5);
        Assert.Equal(unordered, u, 5);
    }
}
