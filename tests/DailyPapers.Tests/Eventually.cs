using System.Diagnostics;

namespace DailyPapers.Tests;

/// <summary>
/// Waits for something the app does asynchronously (a mail written, a batch committed): polls until it holds, and
/// past a deadline fails naming what was awaited and what was last seen. Never a fixed sleep.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, string awaited, TimeSpan? timeout = null, Func<T, object?>? show = null)
    {
        var limit = timeout ?? Patience;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var seen = await probe();
            if (done(seen)) return seen;
            if (clock.Elapsed > limit) throw new TimeoutException($"waited {limit.TotalSeconds:0} s for {awaited}; last seen: {(show is null ? seen : show(seen))}");
            await Task.Delay(50);
        }
    }
}
