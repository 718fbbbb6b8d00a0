using Microsoft.EntityFrameworkCore;

namespace DailyPapers;

/// <summary>
/// A job the server runs at start and then hourly, each run in its own scope, as its CLI command does by hand, and on
/// one instance at a time (Data/JobLeases.cs). A
/// failing run (the database busy or gone, a disk error) is logged and the next hour tries again: one bad hour must
/// not stop the job for the life of the process.
/// </summary>
public abstract class HourlyJob(IServiceScopeFactory scopes, TimeProvider clock, ILogger log) : BackgroundService
{
    static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>One run; what it did, for the debug log.</summary>
    protected abstract Task<string> RunOnceAsync(IServiceProvider services, DateTime now, CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        await Task.Yield();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                // Once across the instances sharing the database: the one holding the job's lease runs it.
                await scope.ServiceProvider.GetRequiredService<Data.JobLeases>().RunAsync(GetType().Name, async ct =>
                    log.LogDebug("{Job}: {Done}", GetType().Name, await RunOnceAsync(scope.ServiceProvider, clock.GetUtcNow().UtcDateTime, ct)), stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { return; }
            catch (Exception ex) when (ex is System.Data.Common.DbException or DbUpdateException or IOException)
            {
                log.LogWarning("{Job}: {Error}", GetType().Name, ex.Message);
            }
            try { await Task.Delay(Interval, clock, stop); }
            catch (OperationCanceledException) { return; }
        }
    }
}
