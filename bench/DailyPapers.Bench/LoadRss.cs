/// <summary>
/// The app server's resident memory (VmRSS of /proc/PID/status), sampled every 250 ms while the load runs; Peak()
/// gives the highest sample since the last call. The server is found by its data folder, which is unique to the run.
/// </summary>
sealed class LoadRss : IDisposable
{
    readonly int pid;
    readonly Timer timer;
    long peak;

    LoadRss(int pid)
    {
        this.pid = pid;
        timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(250));
    }

    public static LoadRss? Watch(string dataDir)
    {
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                if (cmdline.Contains("serve") && cmdline.Contains(dataDir)) return new LoadRss(pid);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return null;
    }

    /// <summary>The server's resident memory now, in MiB.</summary>
    public long Now()
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
        }
        catch (IOException) { return 0; }
    }

    public long Peak() => Interlocked.Exchange(ref peak, Now());

    void Sample()
    {
        var now = Now();
        long seen;
        while (now > (seen = Interlocked.Read(ref peak)) && Interlocked.CompareExchange(ref peak, now, seen) != seen) { }
    }

    public void Dispose() => timer.Dispose();
}
