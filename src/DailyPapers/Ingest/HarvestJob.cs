using Microsoft.Extensions.Options;

namespace DailyPapers.Ingest;

/// <summary>
/// The scheduled side of `harvest`: at start and then every Harvest:IntervalHours, the same HarvestAsync the CLI
/// calls, for Harvest:Categories, on one instance at a time (Data/JobLeases.cs). Off while no categories are set. A failed run is logged and retried next time;
/// its saved resumption token lets that run carry on where this one stopped.
/// </summary>
public sealed class HarvestJob(IServiceScopeFactory scopes, IOptions<AppOptions> options, TimeProvider clock, ILogger<HarvestJob> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        var settings = options.Value.Harvest;
        if (settings.CategoryList.Count == 0) return;
        using var timer = new PeriodicTimer(TimeSpan.FromHours(Math.Max(settings.IntervalHours, 0.01)), clock);
        do await RunOnceAsync(settings.CategoryList, stop);
        while (await timer.WaitForNextTickAsync(stop));
    }

    async Task RunOnceAsync(IReadOnlyList<string> categories, CancellationToken stop)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var harvester = scope.ServiceProvider.GetRequiredService<Harvester>();
            await scope.ServiceProvider.GetRequiredService<Data.JobLeases>().RunAsync(nameof(HarvestJob), async ct =>
            {
                var report = await harvester.HarvestAsync(new HarvestRequest(categories, null, null, false), m => log.LogDebug("{Message}", m), ct);
                log.LogInformation("Harvested {Categories}: {Counts}", string.Join(",", categories), report.Counts);
            }, stop);
        }
        catch (Exception ex) when (ex is HarvestException or HttpRequestException or TaskCanceledException && !stop.IsCancellationRequested)
        {
            log.LogWarning("Harvest of {Categories} failed, will retry at the next run: {Error}", string.Join(",", categories), ex.Message);
        }
    }
}
