using System.Net;
using System.Text.RegularExpressions;
using DailyPapers.Discovery;
using DailyPapers.Feed;

namespace DailyPapers.Tests.Discovery;

/// <summary>/calendar: the days with papers, Friday-to-Thursday weeks named as people say them, months, other years.</summary>
public class CalendarTests
{
    static readonly string[] Files = ["hf/week-2026-W34.jsonl", "hf/2026-08-21.jsonl", "hf/2024-05-27.jsonl", "hf/2024-12-20.jsonl", "hf/2025-03-14.json"];

    static async Task<AppFactory> AppAsync()
    {
        var app = new AppFactory();
        await app.ImportAsync(Files);
        return app;
    }

    static List<string> LinkedDays(string html) => Regex.Matches(html, "href=\"/papers\\?date=([0-9-]+)\"").Select(m => m.Groups[1].Value).ToList();

    [Fact]
    public async Task TheLatestYearShowsItsDaysWeeksAndMonthWithLinks()
    {
        await using var app = await AppAsync();
        var html = await app.CreateClient().GetStringAsync("/calendar");
        var papers = FixturePaper.Read(Files.Where(f => f.EndsWith(".jsonl", StringComparison.Ordinal)).ToArray());
        var days = papers.Where(p => p.Date.Year == 2026).GroupBy(p => p.Date).OrderBy(g => g.Key).ToList();
        Assert.Equal(days.Select(d => d.Key.ToString("yyyy-MM-dd")), LinkedDays(html));
        foreach (var day in days)
            Assert.Contains($"<a href=\"/papers?date={day.Key:yyyy-MM-dd}\" title=\"{day.Select(p => p.Id).Distinct().Count()} papers\">{day.Key.Day}</a>", html);
        Assert.Contains("<span>15</span>", html); // a Saturday without papers is not a link
        // Only August has papers; its weeks start on Fridays and are named, with the ISO code in the link only.
        Assert.Single(Regex.Matches(html, "<section class=\"month\">"));
        Assert.Contains("<h3><a href=\"/papers?month=2026-08\">August 2026</a></h3>", html);
        Assert.Contains("<th scope=\"row\"><a href=\"/papers?week=2026-W34\">Week of 14 Aug</a></th>", html);
        Assert.Contains("<th scope=\"row\"><a href=\"/papers?week=2026-W35\">Week of 21 Aug</a></th>", html);
        Assert.Contains("<th scope=\"row\">Week of 7 Aug</th>", html); // no papers that week
        Assert.Contains("<th scope=\"row\">Week of 31 Jul</th>", html); // 1 August is a Saturday
        Assert.DoesNotContain(">2026-W", html);
        Assert.Contains("<a rel=\"prev\" href=\"/calendar?year=2025\">← 2025</a>", html);
        Assert.DoesNotContain("rel=\"next\"", html);
    }

    [Fact]
    public async Task AnotherYearLinksToTheNearestYearsWithPapers()
    {
        await using var app = await AppAsync();
        var html = await app.CreateClient().GetStringAsync("/calendar?year=2024");
        Assert.Equal(["2024-05-27", "2024-12-20"], LinkedDays(html));
        Assert.Contains("<a rel=\"next\" href=\"/calendar?year=2025\">2025 →</a>", html);
        Assert.DoesNotContain("rel=\"prev\"", html);
        var empty = await app.CreateClient().GetStringAsync("/calendar?year=1991");
        Assert.Contains("No papers were featured in 1991.", empty);
        Assert.Contains("<a rel=\"next\" href=\"/calendar?year=2024\">2024 →</a>", empty);
    }

    [Theory]
    [InlineData("year=abc")]
    [InlineData("year=1990")]
    [InlineData("year=9999")]
    [InlineData("year=-1")]
    public async Task ABadYearIsA400PageThatSaysTheRange(string query)
    {
        await using var app = new AppFactory();
        var r = await app.CreateClient().GetAsync("/calendar?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal("text/html", r.Content.Headers.ContentType?.MediaType);
        Assert.Contains("must be a whole number from 1991 to 9998", await r.Content.ReadAsStringAsync());
    }

    /// <summary>The first and last weeks of the accepted years reach beyond them; every week still has a label that reads back.</summary>
    [Theory]
    [InlineData(1991)]
    [InlineData(2026)]
    [InlineData(9998)]
    public void EveryWeekOfTheAcceptedYearsLinksToAWeekThatReadsBack(int year)
    {
        var every = Enumerable.Range(0, 366).Select(i => new DateOnly(year, 1, 1).AddDays(i)).Where(d => d.Year == year).ToDictionary(d => d, _ => 1);
        var calendar = Calendar.Build(year, every, null, null);
        Assert.Equal(12, calendar.Months.Count);
        foreach (var week in calendar.Months.SelectMany(m => m.Weeks))
        {
            Assert.True(week.Link);
            Assert.Equal(DayOfWeek.Friday, week.Week.Start.DayOfWeek);
            Assert.True(Period.TryParseWeek(week.Week.Label, out var read) && read == week.Week, week.Week.Label);
        }
        Assert.Equal(every.Keys.Order(), calendar.Months.SelectMany(m => m.Weeks).SelectMany(w => w.Days).OfType<DateOnly>().Order());
    }

    [Fact]
    public void PeriodsHaveHumanNamesForPagesAndKeepTheirCodesForUrls()
    {
        var week = Period.WeekOf(new DateOnly(2026, 8, 18));
        Assert.Equal(("2026-W34", "Week of 14 Aug", "Week of 14 Aug 2026, to Thursday 20 Aug"), (week.Label, week.HumanLabel, week.Title));
        Assert.Equal("Week of 26 Dec 2025, to Thursday 1 Jan 2026", Period.WeekOf(new DateOnly(2026, 1, 1)).Title);
        Assert.Equal(("2026-08-21", "21 Aug 2026"), (Period.Day(new DateOnly(2026, 8, 21)).Label, Period.Day(new DateOnly(2026, 8, 21)).HumanLabel));
        Assert.Equal(("2026-08", "August 2026"), (Period.MonthOf(new DateOnly(2026, 8, 21)).Label, Period.MonthOf(new DateOnly(2026, 8, 21)).HumanLabel));
    }

    [Fact]
    public async Task TheListPageNamesNeighbouringWeeksAsPeopleDo()
    {
        await using var app = await AppAsync();
        var html = await app.CreateClient().GetStringAsync("/papers?week=2026-W34");
        Assert.Contains("<a rel=\"next\" href=\"/papers?week=2026-W35\">Week of 21 Aug →</a>", html);
        Assert.Contains("<h2>Week of 14 Aug 2026, to Thursday 20 Aug</h2>", html);
        var json = await app.CreateClient().GetAsync("/api/daily_papers?week=2026-W34&limit=1");
        Assert.Contains("week=2026-W34", json.Headers.GetValues("Link").Single()); // URLs and the API keep the ISO code
    }
}
