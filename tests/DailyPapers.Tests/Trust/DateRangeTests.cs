using System.Net;
using System.Text.Json;

namespace DailyPapers.Tests.Trust;

/// <summary>One accepted range for every date input, 1991-01-01 to 9998-12-31, said in the 400; its edges work.</summary>
public class DateRangeTests
{
    [Theory]
    [InlineData("/api/daily_papers?date=1991-01-01")]
    [InlineData("/api/daily_papers?date=9998-12-31")]
    [InlineData("/api/daily_papers?month=9998-12")]
    [InlineData("/api/daily_papers?week=9998-W52")]
    [InlineData("/papers?date=9998-12-31")]
    [InlineData("/papers?month=1991-01")]
    [InlineData("/papers.atom?month=9998-12")]
    [InlineData("/api/papers/search?q=agents&from=1991-01-01&to=9998-12-31")]
    public async Task TheEdgesOfTheRangeAreServed(string url)
    {
        await using var app = new AppFactory();
        await app.ImportAsync("hf/2026-08-21.jsonl");
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync(url)).StatusCode);
    }

    [Theory]
    [InlineData("/api/daily_papers?date=9999-12-31", "date '9999-12-31' is not a date as YYYY-MM-DD from 1991-01-01 to 9998-12-31")]
    [InlineData("/api/daily_papers?date=0001-01-01", "date '0001-01-01' is not a date as YYYY-MM-DD from 1991-01-01 to 9998-12-31")]
    [InlineData("/api/daily_papers?month=9999-12", "month '9999-12' is not a month as YYYY-MM from 1991-01 to 9998-12")]
    [InlineData("/api/daily_papers?week=9999-W01", "week '9999-W01' is not a week as YYYY-Www (W01 to W52 or W53) from 1991 to 9998")]
    [InlineData("/papers.rss?date=1990-12-31", "date '1990-12-31' is not a date as YYYY-MM-DD from 1991-01-01 to 9998-12-31")]
    [InlineData("/api/papers/search?q=agents&to=9999-12-31", "to '9999-12-31' is not a date as YYYY-MM-DD from 1991-01-01 to 9998-12-31")]
    public async Task BeyondItTheAnswerSaysTheRange(string url, string message)
    {
        await using var app = new AppFactory();
        var r = await app.CreateClient().GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal(message, JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task CommandsTakeTheSameRange()
    {
        var run = await Cli.RunAsync("harvest", "--categories", "cs.LG", "--from", "9999-12-31", "--data", Directory.CreateTempSubdirectory("dailypapers-dates-").FullName);
        Assert.Equal(2, run.Exit);
        Assert.Contains("from 1991-01-01 to 9998-12-31", run.Err);
    }
}
