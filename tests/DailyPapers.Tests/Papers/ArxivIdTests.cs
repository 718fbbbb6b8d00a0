using DailyPapers.Papers;

namespace DailyPapers.Tests.Papers;

[Trait("Engine", "none")] // pure functions: no database, so test.sh runs them once, not again on PostgreSQL
public class ArxivIdTests
{
    [Theory]
    [InlineData("2405.15738", "2405.15738", null)]
    [InlineData("2405.15738v2", "2405.15738", 2)]
    [InlineData("0704.0001", "0704.0001", null)]
    [InlineData("math/0601001", "math/0601001", null)]
    [InlineData("astro-ph/0601001v1", "astro-ph/0601001", 1)]
    [InlineData("math.GT/0309136", "math.GT/0309136", null)]
    public void ParsesNewAndOldStyleIds(string text, string id, int? version)
    {
        Assert.True(ArxivId.TryParse(text, out var parsed, out var v));
        Assert.Equal(id, parsed);
        Assert.Equal(version, v);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("2405.123")]
    [InlineData("2405.123456")]
    [InlineData("2405.15738v0")]
    [InlineData("../etc/passwd")]
    [InlineData("2405.15738 ")]
    [InlineData("math/060100")]
    [InlineData("2608.19880v1\u0662")]                  // an Arabic-Indic digit in the version (\d would take it)
    [InlineData("\u0662\u0660\u0662\u0666.00001")]     // Arabic-Indic digits in the number
    [InlineData("２４０５.15738")]                       // full-width digits
    [InlineData("MATH/0601001")]
    [InlineData("2405.15738\n")]                        // $ would match before a final newline
    public void RefusesWhatIsNotAnId(string text) => Assert.False(ArxivId.TryParse(text, out _, out _));

    /// <summary>The shape is the rule, as Hugging Face answers: an impossible month is looked up and simply not found.</summary>
    [Theory]
    [InlineData("1234.56789")]
    [InlineData("2413.00001")]
    [InlineData("math/9913999")]
    public void TakesWhatHasTheShapeOfAnId(string text) => Assert.True(ArxivId.TryParse(text, out _, out _));

    [Theory]
    [InlineData("http://arxiv.org/abs/2104.12255v1", "2104.12255", 1)]
    [InlineData("https://arxiv.org/pdf/2405.15738v3.pdf", "2405.15738", 3)]
    [InlineData("oai:arXiv.org:0804.2273", "0804.2273", null)]
    [InlineData("arXiv:2405.15738", "2405.15738", null)]
    public void LooseFormAcceptsUrlsAndOaiIdentifiers(string text, string id, int? version)
    {
        Assert.True(ArxivId.TryParseLoose(text, out var parsed, out var v));
        Assert.Equal((id, version), (parsed, v));
    }
}
