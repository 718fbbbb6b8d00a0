using DailyPapers.Digest;
using DailyPapers.Feed;

namespace DailyPapers.Tests.Digest;

[Trait("Engine", "none")] // pure functions: no database, so test.sh runs them once, not again on PostgreSQL
public class DigestScheduleTests
{
    static DateOnly D(string s) => DateOnly.Parse(s);

    [Theory]
    // 2026-08-17 is a Monday.
    [InlineData("weekdays", "2026-08-17", "date=2026-08-14")] // Monday brings Friday's papers
    [InlineData("weekdays", "2026-08-18", "date=2026-08-17")]
    [InlineData("weekdays", "2026-08-21", "date=2026-08-20")]
    [InlineData("weekdays", "2026-08-22", null)]              // Saturday
    [InlineData("weekdays", "2026-08-23", null)]              // Sunday
    [InlineData("daily", "2026-08-23", "date=2026-08-22")]
    [InlineData("daily", "2026-01-01", "date=2025-12-31")]
    [InlineData("weekly", "2026-08-21", "week=2026-W34")]     // Friday: the week Fri 14 – Thu 20 just ended
    [InlineData("weekly", "2026-08-20", null)]
    [InlineData("hourly", "2026-08-20", null)]
    public void EachCadenceCarriesTheDaysThatAreOver(string cadence, string today, string? period)
    {
        var p = DigestSchedule.PeriodFor(cadence, D(today));
        Assert.Equal(period, p?.Query);
        if (p is not null) Assert.True(p.End <= D(today));
    }

    [Fact]
    public void AnotherWeeklyDayStillGetsTheLatestFinishedWeek()
    {
        var p = DigestSchedule.PeriodFor(Cadence.Weekly, D("2026-08-24"), DayOfWeek.Monday)!;
        Assert.Equal((D("2026-08-14"), D("2026-08-21")), (p.Start, p.End));
    }

    [Fact]
    public void ZonesComeFromTheDataShippedWithTheTestsNotFromTheMachine()
    {
        Assert.Equal(TestZones.Folder, Environment.GetEnvironmentVariable("TZDIR"));
        var paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        Assert.Equal((TimeSpan.FromHours(2), TimeSpan.FromHours(1)),
            (paris.GetUtcOffset(new DateTime(2026, 8, 21, 12, 0, 0, DateTimeKind.Utc)), paris.GetUtcOffset(new DateTime(2026, 12, 21, 12, 0, 0, DateTimeKind.Utc))));
        Assert.Throws<TimeZoneNotFoundException>(() => TimeZoneInfo.FindSystemTimeZoneById("America/New_York")); // the machine has it; the tests do not
    }

    [Fact]
    public void TheSendTimeIsLocal()
    {
        var paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        var at = new TimeOnly(7, 0);
        // 05:30 UTC is 07:30 in Paris in summer: due. 04:30 UTC is 06:30: not yet.
        Assert.True(DigestSchedule.IsDue(new DateTimeOffset(2026, 8, 21, 5, 30, 0, TimeSpan.Zero), paris, at, out var today));
        Assert.Equal(D("2026-08-21"), today);
        Assert.False(DigestSchedule.IsDue(new DateTimeOffset(2026, 8, 21, 4, 30, 0, TimeSpan.Zero), paris, at, out _));
        // 23:30 UTC on the 21st is already the 22nd in Paris.
        DigestSchedule.IsDue(new DateTimeOffset(2026, 8, 21, 23, 30, 0, TimeSpan.Zero), paris, at, out today);
        Assert.Equal(D("2026-08-22"), today);
    }

    [Fact]
    public void ADateNamesItsDayOrItsWeek()
    {
        Assert.Equal("date=2026-08-19", DigestSchedule.PeriodOf(Cadence.Daily, D("2026-08-19")).Query);
        Assert.Equal("week=2026-W34", DigestSchedule.PeriodOf(Cadence.Weekly, D("2026-08-19")).Query);
    }
}

[Trait("Engine", "none")] // pure functions: no database, so test.sh runs them once, not again on PostgreSQL
public class DigestPickerTests
{
    static readonly Candidate[] Day =
    [
        new("1", "Scaling laws for language models", "We study how loss scales.", "Jared Kaplan, Sam McCandlish", "cs.LG stat.ML", null),
        new("2", "A diffusion model for video generation", "Video diffusion with transformers.", "Ada Lovelace", "cs.CV", null),
        new("3", "Retrieval augmented generation survey", "A survey of RAG.", "Grace Hopper", "cs.CL cs.IR", null),
        new("4", "Protein folding with transformers", "Structure prediction.", "Rosalind Franklin", "q-bio.BM", null),
        new("5", "Memory in language agents", "Agents that remember; a benchmark.", "Alan Turing", "cs.CL", null),
    ];

    static DigestPicker Picker() => new(Day, relatedCosine: 0.5);

    static Topics T(string[]? categories = null, string[]? keywords = null, string? query = null, string[]? authors = null) =>
        new(categories ?? [], keywords ?? [], query, authors ?? []);

    [Fact]
    public void NoTopicsIsTheDaysTopInOrder()
    {
        var (ids, matched) = Picker().Pick(Topics.None, null, 3);
        Assert.Equal(["1", "2", "3"], ids);
        Assert.Equal(0, matched);
    }

    [Fact]
    public void MatchesComeFirstAndTheTopFillsTheRest()
    {
        var (ids, matched) = Picker().Pick(T(keywords: ["transformer"]), null, 4);
        Assert.Equal(["2", "4", "1", "3"], ids); // "transformer" also finds "transformers"
        Assert.Equal(2, matched);
    }

    [Fact]
    public void ACategoryWithoutADotTakesTheWholeArchive()
    {
        Assert.Equal(["3", "5"], Picker().Pick(T(categories: ["cs.CL"]), null, 2).Ids);
        Assert.Equal(("4", 1), (Picker().Pick(T(categories: ["q-bio"]), null, 2).Ids[0], Picker().Pick(T(categories: ["q-bio"]), null, 2).Matched));
        Assert.Equal(4, Picker().Pick(T(categories: ["cs"]), null, 5).Matched); // cs.LG, cs.CV, cs.CL, cs.CL
    }

    [Fact]
    public void AuthorsWeighMoreThanKeywordsAndQueriesHonourExclusions()
    {
        var (ids, matched) = Picker().Pick(T(keywords: ["language"], authors: ["alan turing"]), null, 5);
        Assert.Equal(["5", "1", "2", "3", "4"], ids); // 5 matches both, 1 only the keyword
        Assert.Equal(2, matched);
        Assert.Equal(["1"], Picker().Pick(T(query: "language -agents"), null, 5).Ids.Take(1));
        Assert.Equal(1, Picker().Pick(T(query: "language -agents"), null, 5).Matched);
        Assert.Equal(1, Picker().Pick(T(query: "\"augmented generation\""), null, 5).Matched);
        Assert.Equal(0, Picker().Pick(T(query: "\"generation augmented\""), null, 5).Matched);
        Assert.Equal(1, Picker().Pick(T(query: "title:protein cat:q-bio"), null, 5).Matched);
    }

    [Fact]
    public void SimilarityAloneMatchesAboveTheThreshold()
    {
        float[] Unit(int axis) { var v = new float[4]; v[axis] = 1; return v; }
        var papers = new[]
        {
            new Candidate("a", "One", "", "", null, Unit(0)),
            new Candidate("b", "Two", "", "", null, Unit(1)),
            new Candidate("c", "Three", "", "", null, Unit(2)),
        };
        var query = new float[] { 0, 0.6f, 0.8f, 0 };
        var (ids, matched) = new DigestPicker(papers, 0.5).Pick(T(keywords: ["unrelated"]), query, 3);
        Assert.Equal(["c", "b", "a"], ids);
        Assert.Equal(2, matched);
    }

    [Theory]
    [InlineData("a@b.co", true)]
    [InlineData("  Alice.Smith+papers@Example.ORG ", true)]
    [InlineData("a@b.c\r\nBcc: x@y.z", false)]
    [InlineData("Alice <a@b.co>", false)]
    [InlineData("a@b.co,c@d.co", false)]
    [InlineData("a..b@c.co", false)]
    [InlineData("a@-b.co", false)]
    [InlineData("@b.co", false)]
    [InlineData("a@", false)]
    [InlineData("\"a b\"@c.co", false)]
    public void AddressesArePlainOrRefused(string input, bool valid)
    {
        Assert.Equal(valid, SubscriptionRules.TryEmail(input, out var email, out var error));
        if (valid) Assert.Equal(input.Trim().ToLowerInvariant(), email);
        else Assert.NotEmpty(error);
    }
}
