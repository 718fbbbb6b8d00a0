using DailyPapers.Feed;

namespace DailyPapers.Tests.Feed;

[Trait("Engine", "none")] // pure functions: no database, so test.sh runs them once, not again on PostgreSQL
public class PeriodTests
{
    static DateOnly D(string s) => DateOnly.Parse(s);

    [Theory]
    [InlineData("2026-08-14", "2026-W34")] // Friday: first day of its week
    [InlineData("2026-08-20", "2026-W34")] // Thursday: last day
    [InlineData("2026-08-21", "2026-W35")]
    [InlineData("2025-12-26", "2026-W01")] // the Friday before: its Thursday is 1 January
    [InlineData("2026-01-01", "2026-W01")] // Thursday 1 January is in ISO week 1 of 2026
    [InlineData("2020-12-31", "2020-W53")]
    public void WeeksRunFridayToThursdayNamedByTheirThursday(string day, string label)
    {
        var week = Period.WeekOf(D(day));
        Assert.Equal(DayOfWeek.Friday, week.Start.DayOfWeek);
        Assert.Equal(7, week.End.DayNumber - week.Start.DayNumber);
        Assert.Equal(label, week.Label);
        Assert.True(Period.TryParseWeek(label, out var parsed));
        Assert.Equal(week, parsed);
    }

    [Theory]
    [InlineData("2026-W00")]
    [InlineData("2025-W53")] // 2025 has 52 ISO weeks
    [InlineData("2026-W60")]
    [InlineData("2026W34")]
    [InlineData("abcd-W01")]
    public void RefusesWeeksThatDoNotExist(string text) => Assert.False(Period.TryParseWeek(text, out _));

    [Fact]
    public void MonthsAndDaysAreHalfOpen()
    {
        Assert.True(Period.TryParseMonth("2024-02", out var feb));
        Assert.Equal((D("2024-02-01"), D("2024-03-01")), (feb.Start, feb.End));
        Assert.Equal(D("2026-08-22"), Period.Day(D("2026-08-21")).End);
        Assert.False(Period.TryParseMonth("2024-13", out _));
        Assert.False(Period.TryParseDate("2026-13-45", out _));
    }
}
