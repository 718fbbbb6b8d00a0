using System.Diagnostics;
using System.Globalization;

/// <summary>What one wrk run measured: requests in how long, the latency percentiles, and the failed requests.</summary>
sealed record LoadResult(long Requests, double Seconds, double P50, double P99, long Failed)
{
    public double Rate => Requests / Seconds;
}

/// <summary>
/// Debian's wrk (bench/install-wrk.sh installs it), driven by one Lua script: every request takes the next path of
/// the route's list, a nonce is appended when the route rotates, and the summary is printed as one machine-readable
/// line. The same script drives the static baseline, so both sides pay the same Lua cost per request.
/// </summary>
static class LoadWrk
{
    const string Script = """
        local next_id = 0
        function setup(thread)
          thread:set("id", next_id)
          next_id = next_id + 1
        end
        function init(args)
          paths = {}
          for line in io.lines(args[1]) do paths[#paths + 1] = line end
          nonce = args[2] == "nonce"
          -- threads start far apart in the list, so they do not ask for the same query at the same moment
          i = id * 7919
          n = 0
        end
        function request()
          i = i + 1
          local path = paths[(i % #paths) + 1]
          if nonce then
            n = n + 1
            path = path .. "&_=" .. id .. "-" .. n
          end
          return wrk.format(nil, path)
        end
        function done(summary, latency, requests)
          local e = summary.errors
          io.write(string.format("RESULT %d %d %.3f %.3f %d\n", summary.requests, summary.duration,
            latency:percentile(50) / 1000, latency:percentile(99) / 1000,
            e.connect + e.read + e.write + e.status + e.timeout))
        end
        """;

    public static async Task<bool> EnsureInstalledAsync(string repoRoot)
    {
        if (OnPath("wrk")) return true;
        Console.Error.WriteLine("wrk is missing: running bench/install-wrk.sh …");
        using var install = Process.Start("bash", Path.Combine(repoRoot, "bench", "install-wrk.sh"));
        await install.WaitForExitAsync();
        return install.ExitCode == 0 && OnPath("wrk");
    }

    /// <summary>Writes the script and the route's path list into work; returns the arguments wrk needs after the URL.</summary>
    public static string[] Prepare(string work, LoadRoute route, IReadOnlyList<string>? paths = null)
    {
        var script = Path.Combine(work, "rotate.lua");
        if (!File.Exists(script)) File.WriteAllText(script, Script);
        var list = Path.Combine(work, $"{route.Name}-{(paths is null ? "app" : "static")}.paths");
        File.WriteAllLines(list, paths ?? route.Paths);
        return [script, list, paths is null && route.Rotate ? "nonce" : "plain"];
    }

    /// <summary>One run of `seconds` at `connections`; wrk is killed if it outlives the run by 30 s or on cancel.</summary>
    public static async Task<LoadResult> RunAsync(Uri site, string[] prepared, int connections, int seconds, CancellationToken ct)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        // Two threads at most: the machine has two cores, and the server needs them too.
        string[] args = ["-t", Math.Min(connections, 2).ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture),
            "-d", $"{seconds}s", "--timeout", "10s", "-s", prepared[0], site.ToString().TrimEnd('/'), "--", prepared[1], prepared[2]];
        foreach (var a in args) start.ArgumentList.Add(a);
        using var wrk = Process.Start(start)!;
        var output = wrk.StandardOutput.ReadToEndAsync(ct);
        var errors = wrk.StandardError.ReadToEndAsync(ct);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromSeconds(seconds + 30));
        try { await wrk.WaitForExitAsync(limit.Token); }
        catch (OperationCanceledException)
        {
            wrk.Kill(entireProcessTree: true);
            throw;
        }
        var line = (await output).Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"wrk printed no result ({wrk.ExitCode}):\n{await output}{await errors}");
        var f = line.Split(' ');
        return new LoadResult(long.Parse(f[1], CultureInfo.InvariantCulture), long.Parse(f[2], CultureInfo.InvariantCulture) / 1e6,
            double.Parse(f[3], CultureInfo.InvariantCulture), double.Parse(f[4], CultureInfo.InvariantCulture), long.Parse(f[5], CultureInfo.InvariantCulture));
    }

    static bool OnPath(string file) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, file)));
}
