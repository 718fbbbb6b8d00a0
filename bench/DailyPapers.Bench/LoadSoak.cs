/// <summary>
/// `load --soak SECONDS`: after the table, anonymous traffic over every route at 16 connections for SECONDS, with the
/// server's resident memory read each minute. The mix repeats each page route's path 100 times and adds every rotated
/// search as its own address (2,000 distinct searches over four routes), so the shared cache fills with distinct
/// answers and its size bound is exercised too. Prints RSS per minute and the growth over the second half.
/// </summary>
static class LoadSoak
{
    public static async Task RunAsync(PagesServer server, LoadRss? rss, string work, IReadOnlyList<LoadRoute> routes, int seconds, CancellationToken ct)
    {
        var paths = routes.SelectMany(r => r.Rotate ? r.Paths : Enumerable.Repeat(r.Paths[0], 100)).ToList();
        new Random(5).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(paths));
        var prepared = LoadWrk.Prepare(work, new LoadRoute("soak", paths, false));
        await server.WaitUntilIdleAsync();
        var samples = new List<(int Minute, long Rss, double Rate, long Failed)> { (0, rss?.Now() ?? 0, 0, 0) };
        for (var minute = 1; minute * 60 <= seconds; minute++)
        {
            var run = await LoadWrk.RunAsync(server.Site, prepared, 16, 60, ct);
            samples.Add((minute, rss?.Now() ?? 0, run.Rate, run.Failed));
            Console.Error.WriteLine($"  soak minute {minute}: {run.Rate:F0}/s, RSS {samples[^1].Rss} MiB");
        }
        Print(samples, paths.Count);
    }

    static void Print(List<(int Minute, long Rss, double Rate, long Failed)> samples, int paths)
    {
        Console.WriteLine($"\nsoak: 16 connections, {paths:N0} addresses in rotation (every route; each search its own address)\n");
        Console.WriteLine("| minute | requests/s | failed | server RSS MiB |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var s in samples) Console.WriteLine($"| {s.Minute} | {(s.Minute == 0 ? "(idle)" : s.Rate.ToString("N0"))} | {s.Failed} | {s.Rss} |");
        var half = samples[samples.Count / 2];
        Console.WriteLine($"\npeak {samples.Max(s => s.Rss)} MiB; growth over the second half (minute {half.Minute} to {samples[^1].Minute}): {samples[^1].Rss - half.Rss:+0;-0;0} MiB");
    }
}
