using Microsoft.Extensions.Options;

namespace DailyPapers.Media;

/// <summary>
/// The scheduled side of `media`: at start and then every ten minutes, the same MediaWork.RunAsync the CLI calls,
/// straight on (after the polite pause) while batches come back full, on one instance at a time (Data/JobLeases.cs).
/// Off unless Media:Thumbnails or Media:FetchRemote is on: both fetch from the network.
/// </summary>
public sealed class MediaJob(IServiceScopeFactory scopes, IOptions<AppOptions> options, TimeProvider clock, ILogger<MediaJob> log) : BackgroundService
{
    static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        var settings = options.Value.Media;
        if (!settings.Thumbnails && !settings.FetchRemote) return;
        using var timer = new PeriodicTimer(Interval, clock);
        while (true)
        {
            var more = await RunOnceAsync(stop);
            if (more) await Task.Delay(TimeSpan.FromSeconds(settings.DelaySeconds), clock, stop);
            else if (!await timer.WaitForNextTickAsync(stop)) return;
        }
    }

    async Task<bool> RunOnceAsync(CancellationToken stop)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var more = false;
            await scope.ServiceProvider.GetRequiredService<Data.JobLeases>().RunAsync(nameof(MediaJob), async ct =>
            {
                var report = await scope.ServiceProvider.GetRequiredService<MediaWork>().RunAsync(false, m => log.LogDebug("{Message}", m), ct);
                if (report.Rendered + report.Fetched + report.Failed + report.TooLarge > 0 || report.Stopped is not null)
                    log.LogInformation("Media: {Report}", report);
                more = report.More && report.Stopped is null;
            }, stop);
            return more;
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or UnauthorizedAccessException)
        {
            log.LogWarning("Media job failed, will retry at the next run: {Error}", ex.Message);
            return false;
        }
    }
}
