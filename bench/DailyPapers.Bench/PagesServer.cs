using System.Diagnostics;

/// <summary>
/// The app as a reader meets it: `serve` in its own process, built in Release next to the bench, on loopback only,
/// in the Production environment. Its output is drained and the last lines kept for the error message if it dies.
/// </summary>
sealed class PagesServer : IAsyncDisposable
{
    readonly Process process;
    readonly Queue<string> tail = new();

    PagesServer(Process process, Uri site) => (this.process, Site) = (process, site);

    public Uri Site { get; }

    public static async Task<PagesServer> StartAsync(string data, int port)
    {
        var site = new Uri($"http://127.0.0.1:{port}");
        // The jobs that would run during the measurement are off: embedding 9,877 papers would take minutes of both
        // cores, and a digest composed at 07:00 would land in the middle of someone's run.
        var start = PagesData.App("serve", "--data", data, "--urls", site.ToString().TrimEnd('/'), "--migrate",
            "--Search:BackgroundEmbedding=false", "--Digest:Schedule=false");
        var server = new PagesServer(Process.Start(start)!, site);
        server.process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        server.process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        server.process.BeginOutputReadLine();
        server.process.BeginErrorReadLine();
        await server.WaitUntilHealthyAsync();
        return server;
    }

    async Task WaitUntilHealthyAsync()
    {
        using var probe = new HttpClient { BaseAddress = Site, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (process.HasExited) break;
            try
            {
                if ((await probe.GetAsync("/healthz")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        lock (tail) throw new InvalidOperationException($"the server at {Site} did not become healthy:\n{string.Join('\n', tail)}");
    }

    /// <summary>
    /// Waits until the server uses under 5% of one core over half a second (at most 30 s): background work such as the
    /// JIT recompiling hot methods or the trending job's first pass then no longer shares the cores with a measurement.
    /// </summary>
    public async Task WaitUntilIdleAsync()
    {
        var window = TimeSpan.FromMilliseconds(500);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            process.Refresh();
            var before = process.TotalProcessorTime;
            await Task.Delay(window);
            process.Refresh();
            if (process.TotalProcessorTime - before < window * 0.05) return;
        }
    }

    void Keep(string? line)
    {
        if (line is null) return;
        lock (tail)
        {
            tail.Enqueue(line);
            if (tail.Count > 40) tail.Dequeue();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }
}
