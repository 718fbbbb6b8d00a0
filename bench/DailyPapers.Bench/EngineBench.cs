using System.Diagnostics;
using System.Globalization;
using DailyPapers.Data;

/// <summary>
/// `engines [--sizes 10000,100000,1000000] [--subscribers 10000,100000] [--postgres CONNSTRING] [--fresh]`: the import,
/// search-speed and digest benches on SQLite and on PostgreSQL in one run, side by side, with PostgreSQL's ratio to
/// SQLite (issue 14). Each step runs in its own process per engine (as search-speed runs each size), the two engines
/// one after the other step by step, so a change in the machine's load falls on both. The children print their usual
/// tables (to stderr here) and their numbers as `@row` lines, which this collects. --fresh rebuilds the generated
/// corpora (bench/.cache) so their insert time is measured in this run too.
/// </summary>
static class EngineBench
{
    const string RowsVariable = "DAILYPAPERS_BENCH_ROWS";
    const string FreshVariable = "DAILYPAPERS_BENCH_FRESH";

    public static bool Fresh => Environment.GetEnvironmentVariable(FreshVariable) == "1";

    /// <summary>One measured number for the engines table; printed only when run by it.</summary>
    public static void Emit(string what, int size, params double[] values)
    {
        if (Environment.GetEnvironmentVariable(RowsVariable) != "1") return;
        Console.WriteLine($"@row\t{what}\t{size}\t{string.Join('\t', values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}");
    }

    public static async Task<int> RunAsync(string file, string postgres, IReadOnlyList<int> sizes, IReadOnlyList<int> subscribers, bool fresh)
    {
        var results = new Dictionary<(string What, int Size, string Engine), double[]>();
        // Data/BulkInsert alone at the first size (the 100k and 1M corpora's own builds show it at full size).
        List<string[]> steps = [["import"], ["bulk-insert", sizes[0].ToString(CultureInfo.InvariantCulture)], .. sizes.Select(s => new[] { "search-speed-one", s.ToString(CultureInfo.InvariantCulture) }),
            ["digest", "--sizes", string.Join(',', subscribers)]];
        foreach (var step in steps)
            foreach (var engine in new[] { Provider.Sqlite, Provider.Postgres })
            {
                Console.Error.WriteLine($"== {string.Join(' ', step)} on {engine}");
                var exit = await ChildAsync([.. step, "--file", file, .. engine == Provider.Postgres ? new[] { "--engine", "postgres", "--postgres", postgres } : []],
                    fresh, engine, results);
                if (exit != 0) return exit;
            }
        Print(results);
        return 0;
    }

    static async Task<int> ChildAsync(string[] args, bool fresh, string engine, Dictionary<(string, int, string), double[]> results)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true };
        start.ArgumentList.Add(typeof(EngineBench).Assembly.Location);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment[RowsVariable] = "1";
        if (fresh) start.Environment[FreshVariable] = "1";
        using var child = Process.Start(start)!;
        while (await child.StandardOutput.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("@row\t", StringComparison.Ordinal))
            {
                Console.Error.WriteLine(line);
                continue;
            }
            var parts = line.Split('\t');
            results[(parts[1], int.Parse(parts[2], CultureInfo.InvariantCulture), engine)] =
                parts[3..].Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        }
        await child.WaitForExitAsync();
        return child.ExitCode;
    }

    static void Print(Dictionary<(string What, int Size, string Engine), double[]> results)
    {
        Console.WriteLine($"\nSQLite and PostgreSQL in one run, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}\n");
        Console.WriteLine("| measure | size | SQLite | PostgreSQL | PostgreSQL / SQLite |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var (what, size) in results.Keys.Select(k => (k.What, k.Size)).Distinct())
        {
            var sqlite = results.GetValueOrDefault((what, size, Provider.Sqlite));
            var postgres = results.GetValueOrDefault((what, size, Provider.Postgres));
            var (unit, show) = Unit(what);
            // The ratio of the last number: p95 for searches, seconds or a rate otherwise.
            var ratio = sqlite is null || postgres is null || sqlite[^1] == 0 ? "–" : $"{postgres[^1] / sqlite[^1]:F2}x";
            Console.WriteLine($"| {what} ({unit}) | {size:N0} | {show(sqlite)} | {show(postgres)} | {ratio} |");
        }
    }

    static (string Unit, Func<double[]?, string> Show) Unit(string what) =>
        what.StartsWith("search", StringComparison.Ordinal) ? ("p50 / p95 ms", v => v is null ? "–" : $"{v[0]:F1} / {v[1]:F1}")
        : what.EndsWith("send", StringComparison.Ordinal) ? ("messages/s", v => v is null ? "–" : $"{v[0]:N0}")
        : ("s", v => v is null ? "–" : $"{v[0]:F2}");
}
