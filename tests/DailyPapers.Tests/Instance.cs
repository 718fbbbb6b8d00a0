using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace DailyPapers.Tests;

/// <summary>
/// One instance of a hub run as several: the real executable (`dotnet DailyPapers.dll serve`) on its own loopback
/// port with its own data folder, on a database it shares with the others. Killed (SIGKILL) and its folder deleted at
/// dispose; what it printed last is kept for failure messages.
/// </summary>
public sealed class Instance : IAsyncDisposable
{
    readonly Process process;
    readonly ConcurrentQueue<string> output = new();

    public string Name { get; }
    public int Port { get; }
    public string DataDir { get; }
    public string Url => $"http://127.0.0.1:{Port}";
    public string Address => $"127.0.0.1:{Port}";
    public bool Exited => process.HasExited;

    Instance(string name, int port, string dataDir, Process process)
    {
        (Name, Port, DataDir, this.process) = (name, port, dataDir, process);
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine(); // read as it comes: a full pipe would block the server
        process.BeginErrorReadLine();
    }

    void Keep(string? line)
    {
        if (line is null) return;
        output.Enqueue(line);
        while (output.Count > 60) output.TryDequeue(out _);
    }

    /// <summary>Starts `serve` on a free port with these settings (`--Key=value`, the database among them); returns at once.</summary>
    public static Instance Start(string name, IEnumerable<string> settings)
    {
        var port = Nginx.FreePort();
        var data = Directory.CreateTempSubdirectory($"dailypapers-{name}-").FullName;
        return new Instance(name, port, data, Cli.Start(["serve", "--urls", $"http://127.0.0.1:{port}", "--data", data, "--no-sample", .. settings]));
    }

    /// <summary>Waits until /healthz answers 200 (the schema is there and the database answers).</summary>
    public async Task ReadyAsync()
    {
        using var http = Client();
        await Eventually.Until(async () =>
        {
            if (process.HasExited) throw new InvalidOperationException($"instance {Name} exited:\n{Log()}");
            try { return (await http.GetAsync("/healthz")).StatusCode; }
            catch (HttpRequestException) { return HttpStatusCode.ServiceUnavailable; }
        }, s => s == HttpStatusCode.OK, $"instance {Name} to answer", TimeSpan.FromMinutes(3));
    }

    /// <summary>A client of this instance alone, over plain HTTP as nginx reaches it: no cookies kept, no redirects followed.</summary>
    public HttpClient Client() =>
        new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>SIGKILL: no shutdown, no cleanup, as a crash or the OOM killer would stop it.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public string Log() => string.Join("\n", output);

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process.Dispose();
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
