using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace DailyPapers.Media;

/// <summary>
/// Poppler's pdftoppm, run as a process on a PDF in a temporary file: the first page as a PNG whose longer side is 480
/// pixels, as arxiv-sanity-lite's thumbnail daemon makes them. No PDF rasteriser for .NET restores here, and Debian
/// ships this one (poppler-utils). A PDF is untrusted input: the process gets a deadline and is killed past it.
/// </summary>
public sealed class Pdftoppm(IOptions<AppOptions> options, ILogger<Pdftoppm> log)
{
    public const int Size = 480;
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    int warned;

    /// <summary>The executable, or null when there is none: said once per process, so a log is not flooded every run.</summary>
    public string? Find()
    {
        var path = Locate(options.Value.Media.PdftoppmPath);
        if (path is null && Interlocked.Exchange(ref warned, 1) == 0)
            log.LogWarning("Thumbnails skipped: pdftoppm not found ({Path}); install poppler-utils or set Media:PdftoppmPath", options.Value.Media.PdftoppmPath);
        return path;
    }

    /// <summary>Renders page 1 of pdf to png; null when it worked, else what went wrong.</summary>
    public async Task<string?> RenderAsync(string executable, string pdf, string png, CancellationToken ct)
    {
        var prefix = png.EndsWith(".png", StringComparison.Ordinal) ? png[..^4] : png; // pdftoppm adds the extension
        var start = new ProcessStartInfo(executable) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-png", "-f", "1", "-l", "1", "-scale-to", Size.ToString(), "-singlefile", pdf, prefix }) start.ArgumentList.Add(a);
        Process process;
        try { process = Process.Start(start)!; }
        catch (Win32Exception ex) { return $"pdftoppm could not start: {ex.Message}"; } // there but not executable
        using var running = process;
        var errors = running.StandardError.ReadToEndAsync(ct);
        var output = running.StandardOutput.ReadToEndAsync(ct); // read, or a chatty process blocks on a full pipe
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(Deadline);
        try { await running.WaitForExitAsync(deadline.Token); }
        catch (OperationCanceledException)
        {
            running.Kill(entireProcessTree: true);
            ct.ThrowIfCancellationRequested();
            return $"pdftoppm took longer than {Deadline.TotalSeconds:0} s";
        }
        await output;
        if (running.ExitCode == 0 && File.Exists(png)) return null;
        var message = Ingest.Text.Squash(await errors) ?? "";
        return $"pdftoppm exit {running.ExitCode}: {(message.Length > 300 ? message[..300] : message)}";
    }

    static string? Locate(string name)
    {
        if (name.Contains(Path.DirectorySeparatorChar) || name.Contains(Path.AltDirectorySeparatorChar))
            return File.Exists(name) ? Path.GetFullPath(name) : null;
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
    }
}
