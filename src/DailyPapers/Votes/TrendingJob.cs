namespace DailyPapers.Votes;

/// <summary>Time decay: recomputes every paper's trending score at start and hourly (`trending` does it by hand).</summary>
public sealed class TrendingJob(IServiceScopeFactory scopes, TimeProvider clock, ILogger<TrendingJob> log) : HourlyJob(scopes, clock, log)
{
    protected override async Task<string> RunOnceAsync(IServiceProvider services, DateTime now, CancellationToken ct) =>
        $"{await TrendingScores.RefreshAllAsync(services.GetRequiredService<Data.AppDb>(), now, ct)} scores refreshed";
}
