using Microsoft.Extensions.Options;

namespace DailyPapers.Search;

/// <summary>
/// Loads the stored vectors into the index at start, then follows the vectors table every few seconds (VectorFeed),
/// and embeds papers that lack a vector (new imports, harvests, edited abstracts), a batch at a time, checking again
/// every minute, on one instance at a time (Data/JobLeases.cs). `embed` in the CLI embeds the same way, once.
/// </summary>
public sealed class EmbedJob(IServiceScopeFactory scopes, Data.JobLeases leases, Embedder embedder, IOptions<AppOptions> options, TimeProvider clock, ILogger<EmbedJob> log)
    : BackgroundService
{
    /// <summary>How often the index reads vectors written elsewhere when no search asked for them sooner.</summary>
    public static readonly TimeSpan FollowInterval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (!embedder.Available)
        {
            log.LogWarning("Semantic search is off, keyword search answers alone: {Error}", embedder.Error);
            return;
        }
        await WithEmbeddings(e => e.LoadIndexAsync(stop));
        var following = FollowAsync(stop);
        if (options.Value.Search.BackgroundEmbedding)
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), clock);
            // The vectors are shared through the database, so one instance at a time embeds the backlog; every instance
            // follows the table, so each index has what any of them embedded.
            do await leases.RunAsync(nameof(EmbedJob), EmbedBacklogAsync, stop);
            while (await timer.WaitForNextTickAsync(stop));
        }
        await following;
    }

    async Task FollowAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(FollowInterval, clock);
        while (await timer.WaitForNextTickAsync(stop))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var services = scope.ServiceProvider;
                await services.GetRequiredService<VectorFeed>().CatchUpAsync(services.GetRequiredService<Data.AppDb>(), stop);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning("Following the vectors table failed, retrying in {Seconds} s: {Error}", FollowInterval.TotalSeconds, ex.Message);
            }
        }
    }

    /// <summary>Full batches mean more papers wait, so the next batch starts at once rather than a minute later.</summary>
    async Task EmbedBacklogAsync(CancellationToken stop)
    {
        int done;
        do
        {
            done = await WithEmbeddings(e => e.EmbedMissingAsync(256, ct: stop));
            if (done > 0) log.LogInformation("Embedded {Count} papers", done);
        }
        while (done == 256 && !stop.IsCancellationRequested);
    }

    async Task<T> WithEmbeddings<T>(Func<Embeddings, Task<T>> work)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<Embeddings>());
    }

    async Task WithEmbeddings(Func<Embeddings, Task> work) => await WithEmbeddings(async e => { await work(e); return 0; });
}
