using System.Diagnostics;

namespace DailyPapers.Tests;

/// <summary>Runs the real executable (`dotnet DailyPapers.dll …`), as a user or a cron job would.</summary>
public static class Cli
{
    public static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "DailyPapers.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_NOLOGO"] = "1";
        return Process.Start(start)!;
    }

    public static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var p = Start(args);
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        try { await p.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3)); }
        catch (TimeoutException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"`DailyPapers {string.Join(' ', args)}` did not exit within 3 minutes; killed");
        }
        return (p.ExitCode, await output, await error);
    }
}
