using System.Linq.Expressions;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DailyPapers.Data;

/// <summary>A row of job_leases (migration 0013): which instance runs a scheduled job, until when.</summary>
public sealed class JobLease
{
    public string Name { get; set; } = "";
    public string Holder { get; set; } = "";
    public DateTime ExpiresAt { get; set; }

    /// <summary>
    /// The rule: its holder may take a lease again (a renewal), anyone else only once it has expired, so a holder that
    /// crashed blocks the job for one lease at most. An expression, so the acquiring UPDATE runs exactly this rule and
    /// a test can run it with a fixed time.
    /// </summary>
    public static Expression<Func<JobLease, bool>> TakeableBy(string holder, DateTime now) => l => l.Holder == holder || l.ExpiresAt <= now;
}

/// <summary>
/// Scheduled jobs run once across the instances that share the database: a job takes its lease (job_leases) before a
/// run, renews it while running and gives it back at the end; an instance that finds the lease held skips that run.
/// Taking is one UPDATE whose WHERE is the rule, so of two instances at the same moment one wins, on either engine.
/// A lease lasts Jobs:LeaseSeconds; a crashed holder's runs out and the next instance to try runs the job.
/// Commands run by hand (`trending`, `digest send`…) take no lease: each is safe beside the server's job.
/// </summary>
public sealed class JobLeases(IServiceScopeFactory scopes, IOptions<AppOptions> options, TimeProvider clock, ILogger<JobLeases> log)
{
    /// <summary>This instance in job_leases: machine, process, and a random part, since two hosts can share a process.</summary>
    public string Holder { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant()}";

    TimeSpan Lease => TimeSpan.FromSeconds(options.Value.Jobs.LeaseSeconds);

    /// <summary>Runs work under the job's lease; false, without running it, when another instance holds the lease.</summary>
    public async Task<bool> RunAsync(string job, Func<CancellationToken, Task> work, CancellationToken ct)
    {
        if (!await TryTakeAsync(job, ct))
        {
            log.LogDebug("{Job}: another instance holds the lease", job);
            return false;
        }
        using var renewing = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var renewals = RenewAsync(job, renewing.Token);
        try { await work(ct); }
        finally
        {
            await renewing.CancelAsync();
            await renewals;
            await ReleaseAsync(job);
        }
        return true;
    }

    /// <summary>Takes or renews the job's lease until now + Jobs:LeaseSeconds; false when another instance holds it.</summary>
    public async Task<bool> TryTakeAsync(string job, CancellationToken ct = default)
    {
        // Stored as the model stores times (to the microsecond), so the row the INSERT writes "expired now" is expired
        // by the UPDATE's rule at this same now: SQLite compares times as text, and a tenth of a microsecond more was later.
        var now = AppDb.ToMicroseconds(clock.GetUtcNow().UtcDateTime);
        var until = now + Lease;
        var holder = Holder;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        // The job's row exists from its first run on, free (expired now); the UPDATE then decides, in one statement.
        await db.Database.ExecuteSqlAsync($"INSERT INTO job_leases (name, holder, expires_at) VALUES ({job}, '', {now}) ON CONFLICT (name) DO NOTHING", ct);
        return await db.JobLeases.Where(l => l.Name == job).Where(JobLease.TakeableBy(holder, now))
            .ExecuteUpdateAsync(u => u.SetProperty(l => l.Holder, holder).SetProperty(l => l.ExpiresAt, until), ct) == 1;
    }

    /// <summary>Gives the lease back (expires it now) if this instance holds it, so the next run anywhere may start at once.</summary>
    public async Task ReleaseAsync(string job)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var holder = Holder;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AppDb>().JobLeases.Where(l => l.Name == job && l.Holder == holder)
                .ExecuteUpdateAsync(u => u.SetProperty(l => l.ExpiresAt, now), CancellationToken.None);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or DbUpdateException)
        {
            log.LogWarning("{Job}: could not give the lease back, it expires by itself: {Error}", job, ex.Message);
        }
    }

    // A third of the lease apart, so two renewals can fail (a database restarting) before another instance may take it.
    async Task RenewAsync(string job, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Lease / 3, clock, ct);
                if (!await TryTakeAsync(job, ct)) log.LogWarning("{Job}: the lease ran out and another instance took it", job);
            }
            catch (OperationCanceledException) { return; }
            catch (Exception ex) when (ex is System.Data.Common.DbException or DbUpdateException)
            {
                log.LogWarning("{Job}: renewing the lease failed: {Error}", job, ex.Message);
            }
        }
    }
}
