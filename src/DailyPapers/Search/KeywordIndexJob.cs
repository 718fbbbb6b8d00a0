using Microsoft.Extensions.Options;

namespace DailyPapers.Search;

/// <summary>
/// Brings the keyword index up to date at start (building it on a first start) and then every Search:FollowSeconds (default 30), so
/// writes made by other processes (a CLI import) are indexed even when nobody searches. A search also catches up
/// first, so what was written before it is found (KeywordSearch). Once an hour it also prunes outbox rows older than
/// the retention (every instance may: deleting old rows twice is harmless).
/// </summary>
public sealed class KeywordIndexJob(IServiceScopeFactory scopes, IOptions<AppOptions> options, TimeProvider clock, ILogger<KeywordIndexJob> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.Search.FollowSeconds), clock);
        var pruned = DateTimeOffset.MinValue;
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var feed = scope.ServiceProvider.GetRequiredService<KeywordFeed>();
                await feed.CatchUpAsync(stop);
                if (clock.GetUtcNow() - pruned >= TimeSpan.FromHours(1))
                {
                    await feed.PruneAsync(stop);
                    pruned = clock.GetUtcNow();
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogError(ex, "Keyword index catch-up failed; retrying in {Seconds} s", options.Value.Search.FollowSeconds);
            }
        }
        while (await timer.WaitForNextTickAsync(stop));
    }
}
