using DailyPapers.Search;

namespace DailyPapers.Tests.Search;

[Trait("Engine", "none")] // pure functions: no database, so test.sh runs them once, not again on PostgreSQL
public class FusionTests
{
    static SearchQuery Parse(string text)
    {
        Assert.True(SearchQuery.TryParse(text, out var q, out var error), error);
        return q;
    }

    // a has all the words, b only some but a higher BM25 (the keyword list puts a first); c is the sentence model's pick
    static readonly KeywordHit[] Keyword = [new("a", 8), new("b", 10), new("c", 2)];
    static readonly Dictionary<string, double> Cosines = new() { ["a"] = 0.40, ["b"] = 0.30, ["c"] = 0.80, ["d"] = 0.70 };

    // The mechanics with a semantic share for natural-language queries (the chosen weights give it none: see the last test)
    static readonly Fusion.Weights Shaped = new(KeywordLike: 1.0, Natural: 0.7, LongFrom: 10);

    [Theory]
    [InlineData("diffusion transformers", 1.0)]
    [InlineData("author:hinton", 1.0)]
    [InlineData("teaching robots to fold clothes", 0.7)]
    [InlineData("one two three four five six seven eight nine ten", 0.7)]
    [InlineData("one two three four five six seven eight nine", 1.0)]
    public void TheKeywordShareFollowsTheQueryShape(string query, double share) =>
        Assert.Equal(share, Fusion.KeywordShare(Parse(query), Shaped));

    [Fact]
    public void AKeywordLikeQueryKeepsTheKeywordOrder()
    {
        var fused = Fusion.Rank(Keyword, Cosines, Parse("diffusion transformers"), Shaped);
        Assert.Equal(["a", "b", "c", "d"], fused.Select(f => f.Id));
        Assert.Equal([1.0, 1.0, 0.25, 0.0], fused.Select(f => f.Score));
    }

    [Fact]
    public void ANaturalLanguageQueryLetsMeaningIn()
    {
        var fused = Fusion.Rank(Keyword, Cosines, Parse("how do robots learn to fold clothes"), Shaped);
        Assert.Equal(["a", "b", "c", "d"], fused.Select(f => f.Id));
        // c: keyword 2/8 (its running minimum over the list), cosine 0.80/0.80
        Assert.Equal(0.7 * 0.25 + 0.3 * 1.0, fused[2].Score, 9);
        var meaning = Fusion.Rank(Keyword, Cosines, Parse("how do robots learn to fold clothes"), Shaped with { Natural = 0.2 });
        Assert.Equal(["c", "d", "a", "b"], meaning.Select(f => f.Id));
    }

    [Fact]
    public void EmptyListsFuseToTheOtherOrToNothing()
    {
        Assert.Empty(Fusion.Rank([], new Dictionary<string, double>(), Parse("anything at all")));
        Assert.Equal(["c", "d", "a", "b"], Fusion.Rank([], Cosines, Parse("anything at all")).Select(f => f.Id));
    }

    [Fact]
    public void TheChosenFusionKeepsTheKeywordListAndAddsTheNearestOfTheRest()
    {
        var cosines = new Dictionary<string, double>(Cosines) { ["e"] = 0.75 };
        var fused = Fusion.Rank(Keyword, cosines, Parse("how do robots learn to fold clothes"));
        Assert.Equal(["a", "b", "c", "e", "d"], fused.Select(f => f.Id));
    }
}
