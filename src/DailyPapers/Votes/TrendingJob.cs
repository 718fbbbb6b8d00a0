namespace DailyPapers.Votes;

/// <summary>Time decay: recomputes every paper's trending score at start and hourly (`trending` does it by hand).</summary>
public sealed class TrendingJob(IServiceScopeFactory scopes, TimeProvider clock, ILogger<TrendingJob> log) : BackgroundService
{
    static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        await Task.Yield();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var n = await TrendingScores.RefreshAllAsync(scope.ServiceProvider.GetRequiredService<Data.AppDb>(), clock.GetUtcNow().UtcDateTime, stop);
                log.LogDebug("trending: {Count} scores refreshed", n);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { return; }
            catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException)
            {
                log.LogWarning("trending job: {Error}", ex.Message);
            }
            try { await Task.Delay(Interval, clock, stop); }
            catch (OperationCanceledException) { return; }
        }
    }
}
