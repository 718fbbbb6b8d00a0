using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace DailyPapers.Tests.Trust;

/// <summary>An import (and the sample loaded at first start) leaves every trending score current, with no job run.</summary>
public class TrendingAfterImportTests
{
    [Fact]
    public async Task TheSampleLoadedAtStartIsRankedWithoutTheHourlyJob()
    {
        await using var app = new AppFactory().With("LoadSample", "true").WithoutJobs();
        var trending = await app.CreateClient().GetFromJsonAsync<JsonElement[]>("/api/trending?limit=100");
        Assert.Equal(100, trending!.Length);
        var scores = trending.Select(t => t.GetProperty("trending").GetDouble()).ToList();
        Assert.All(scores, s => Assert.True(s > 0));
        Assert.Equal(scores.OrderDescending(), scores);
    }

    [Fact]
    public async Task TheImportCommandComputesTheScoresOfWhatItImported()
    {
        var data = Directory.CreateTempSubdirectory("dailypapers-trending-").FullName;
        var run = await Cli.RunAsync("import", Fixture.Path("hf/2026-08-21.jsonl"), "--data", data, "--no-embed");
        Assert.Equal(0, run.Exit);
        using var c = new SqliteConnection($"Data Source={Path.Combine(data, "dailypapers.db")};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM papers WHERE trending > 0 AND trending_at IS NOT NULL";
        Assert.Equal(17L, (long)cmd.ExecuteScalar()!);
    }
}
