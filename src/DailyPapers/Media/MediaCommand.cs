using System.Diagnostics;
using DailyPapers.Data;
using Microsoft.Extensions.Options;

namespace DailyPapers.Media;

/// <summary>`media [--dry-run]`: one run of the server's MediaJob, by hand or from cron.</summary>
public static class MediaCommand
{
    public static async Task<int> RunAsync(WebApplication app, bool dryRun)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseStartup>().EnsureSchemaAsync(migrate: false);
        var settings = scope.ServiceProvider.GetRequiredService<IOptions<AppOptions>>().Value.Media;
        var work = scope.ServiceProvider.GetRequiredService<MediaWork>();
        if (dryRun)
        {
            var counts = await work.RunAsync(dryRun: true);
            Console.WriteLine($"dry run: {counts.ThumbnailsMissing} papers lack a thumbnail ({Part(settings.Thumbnails, "Thumbnails", counts.ThumbnailsMissing, settings.BatchSize, "render")}); " +
                              $"{counts.RemoteMissing} remote files not fetched ({Part(settings.FetchRemote, "FetchRemote", counts.RemoteMissing, settings.BatchSize, "fetch")})" +
                              (counts.Skipped is null ? "" : $"; thumbnails skipped: {counts.Skipped}"));
            return 0;
        }
        if (!settings.Thumbnails && !settings.FetchRemote)
        {
            Console.Error.WriteLine("media: nothing to do: Media:Thumbnails and Media:FetchRemote are both off (e.g. --Media:Thumbnails=true)");
            return 0;
        }
        var clock = Stopwatch.StartNew();
        var report = await work.RunAsync(dryRun: false, Console.Error.WriteLine);
        Console.WriteLine($"media: {report} ({clock.Elapsed.TotalSeconds:F1} s)");
        return 0;
    }

    static string Part(bool on, string setting, int missing, int batch, string verb) =>
        on ? $"this run would {verb} {Math.Min(missing, batch)}" : $"Media:{setting} is off";
}
