namespace DailyPapers.Ingest;

/// <summary>A one-line progress bar on a terminal's stderr; silent when stderr is a file or pipe.</summary>
public sealed class Progress(string label)
{
    readonly bool enabled = !Console.IsErrorRedirected;
    long lastDraw;

    public void Report(double fraction, int records)
    {
        if (!enabled || Environment.TickCount64 - lastDraw < 100) return;
        lastDraw = Environment.TickCount64;
        var filled = (int)Math.Round(Math.Clamp(fraction, 0, 1) * 30);
        Console.Error.Write($"\r{label} [{new string('#', filled)}{new string('.', 30 - filled)}] {fraction,4:P0} {records:N0} records ");
    }

    public void Done()
    {
        if (enabled) Console.Error.Write("\r" + new string(' ', 100) + "\r");
    }
}
