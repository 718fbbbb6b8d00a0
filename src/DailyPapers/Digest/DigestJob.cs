using DailyPapers.Feed;
using Microsoft.Extensions.Options;

namespace DailyPapers.Digest;

/// <summary>
/// The server's mail loop: at the configured local time it composes each cadence's due digest (once per period,
/// recorded in digest_runs), and at any time it sends what the outbox holds, woken at once when a mail is queued.
/// `digest send` on the command line does the same work.
/// </summary>
public sealed class DigestJob(IServiceScopeFactory scopes, OutboxSignal signal, IOptions<AppOptions> options, TimeProvider clock, ILogger<DigestJob> log)
    : BackgroundService
{
    static readonly TimeSpan Tick = TimeSpan.FromMinutes(1);
    TaskCompletionSource nextTick = NewTick();

    /// <summary>
    /// Completes when a tick that begins after this call has done its work: a caller (the tests) can wake the job and
    /// know it has looked at the present state, instead of sleeping and hoping it has.
    /// </summary>
    public Task NextTickAsync() => Volatile.Read(ref nextTick).Task;

    static TaskCompletionSource NewTick() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        await Task.Yield();
        while (!stop.IsCancellationRequested)
        {
            var tick = Interlocked.Exchange(ref nextTick, NewTick());
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                if (options.Value.Digest.Schedule) await ComposeDueAsync(scope.ServiceProvider, stop);
                var report = await scope.ServiceProvider.GetRequiredService<Outbox>().SendDueAsync(ct: stop);
                if (report.Sent + report.Failed > 0) log.LogInformation("mail: {Report}", report);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { return; }
            catch (Exception ex) when (ex is System.Data.Common.DbException or Microsoft.EntityFrameworkCore.DbUpdateException or IOException)
            {
                // A busy or missing database (during a restore) is retried at the next tick, not fatal to the server.
                log.LogWarning("digest job: {Error}", ex.Message);
            }
            finally { tick.TrySetResult(); }
            try { await signal.WaitAsync(Tick, stop); }
            catch (OperationCanceledException) { return; }
        }
    }

    async Task ComposeDueAsync(IServiceProvider services, CancellationToken ct)
    {
        var digest = options.Value.Digest;
        if (!DigestSchedule.IsDue(clock.GetUtcNow(), DigestSettings.Zone(digest), DigestSettings.SendAt(digest), out var today)) return;
        var composer = services.GetRequiredService<DigestComposer>();
        var due = new List<(string Cadence, Period Period)>();
        foreach (var cadence in Cadence.All)
            if (DigestSchedule.PeriodFor(cadence, today, digest.WeeklyOn) is { } period && !await composer.ComposedAsync(cadence, period, ct))
                due.Add((cadence, period));
        // Composing runs on one instance (Data/JobLeases.cs), taken only when something is due: the job ticks every
        // minute. Sending needs no lease: the outbox hands each message to one sender (Outbox.ClaimAsync).
        if (due.Count == 0) return;
        await services.GetRequiredService<Data.JobLeases>().RunAsync(nameof(DigestJob), async leased =>
        {
            foreach (var (cadence, period) in due)
            {
                if (await composer.ComposedAsync(cadence, period, leased)) continue; // by the instance that held the lease before
                var stored = await composer.ComposeAndStoreAsync(cadence, period, ct: leased);
                log.LogInformation("digest {Cadence} {Period}: {Count} composed", cadence, period.Label, stored);
            }
        }, ct);
    }
}

/// <summary>The digest settings, read once and checked at start-up (see Hosting).</summary>
public static class DigestSettings
{
    public static TimeZoneInfo Zone(DigestOptions o) => TimeZoneInfo.FindSystemTimeZoneById(o.TimeZone);

    public static TimeOnly SendAt(DigestOptions o) =>
        TimeOnly.ParseExact(o.SendAt, ["H:mm", "HH:mm"], System.Globalization.CultureInfo.InvariantCulture);

    public static bool Valid(DigestOptions o)
    {
        try
        {
            _ = Zone(o);
            _ = SendAt(o);
            return true;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or FormatException) { return false; }
    }
}
