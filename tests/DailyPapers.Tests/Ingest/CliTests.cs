using Microsoft.Data.Sqlite;

namespace DailyPapers.Tests.Ingest;

[Trait("Engine", "sqlite")] // the CLI on a bare --data folder, a SQLite file whatever the suite runs on: test.sh runs it once
public sealed class CliTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("dailypapers-cli-").FullName;
    string Data(string name) => Path.Combine(dir, name);

    [Fact]
    public async Task ImportPrintsASummaryAndASecondRunFindsNothingNew()
    {
        var first = await Cli.RunAsync("import", Fixture.Path("hf/week-2026-W34.jsonl"), "--data", Data("a"), "--no-embed");
        Assert.Equal(0, first.Exit);
        Assert.Contains("116 records: papers 115 new, 1 updated, 0 unchanged; daily entries 116 new, 0 updated, 0 unchanged; 0 rejected", first.Out);
        var second = await Cli.RunAsync("import", Fixture.Path("hf/week-2026-W34.jsonl"), "--data", Data("a"), "--no-embed");
        Assert.Contains("papers 0 new, 0 updated, 116 unchanged; daily entries 0 new, 0 updated, 116 unchanged", second.Out);
    }

    [Fact]
    public async Task ImportEmbedsWhatItImportedAndEmbedFindsNothingLeft()
    {
        var run = await Cli.RunAsync("import", Fixture.Path("hf/twice-featured.jsonl"), "--data", Data("e"));
        Assert.Equal(0, run.Exit);
        Assert.Contains("embedded 1 papers", run.Out);
        var check = await Cli.RunAsync("embed", "--dry-run", "--data", Data("e"));
        Assert.Contains("0 papers lack an embedding", check.Out);
        Assert.Equal(0, (await Cli.RunAsync("reindex", "--data", Data("e"))).Exit);
    }

    [Fact]
    public async Task RejectedRecordsAreListedOnStderrAndTheRestImports()
    {
        var file = Some.File(Some.HfEntry("2601.00001", "2026-01-05"), "{broken", Some.HfEntry("2601.00002", "2026-01-05"));
        var run = await Cli.RunAsync("import", file, "--data", Data("a"), "--no-embed");
        Assert.Equal(0, run.Exit);
        Assert.Contains("rejected " + file + ":2: invalid JSON", run.Err);
        Assert.Contains("papers 2 new", run.Out);
    }

    [Theory]
    [InlineData(2, "frobnicate")]
    [InlineData(2, "import")]
    [InlineData(2, "import", "x.jsonl", "--batch-size", "0")]
    [InlineData(2, "serve", "--no-such-flag")]
    [InlineData(2, "harvest")]
    [InlineData(2, "harvest", "--categories", "cs.LG", "--from", "last week")]
    [InlineData(1, "import", "/nonexistent/file.jsonl")]
    public async Task BadUsageExitsNonZeroWithAMessage(int exit, params string[] args)
    {
        var run = await Cli.RunAsync([.. args, "--data", Data("a")]);
        Assert.Equal(exit, run.Exit);
        Assert.Contains("error:", run.Err);
    }

    [Fact]
    public async Task AnExportImportsBackIntoTheSameRows()
    {
        AssertRan(await Cli.RunAsync("import", Fixture.Path("hf/twice-featured.jsonl"), Fixture.Path("oai/GetRecord_arXivRaw.xml"), "--data", Data("a"), "--no-embed"));
        var papers = Rows(Data("a"), "papers", "id");
        var entries = Rows(Data("a"), "daily_entries", "date, paper_id");
        Assert.Equal((2, 2), (papers.Count, entries.Count)); // 2604.07429 featured twice, 0804.2273 from OAI

        AssertRan(await Cli.RunAsync("export", "--out", Data("a.jsonl"), "--data", Data("a")));
        var lines = File.ReadAllLines(Data("a.jsonl")).Where(l => l.Length > 0).ToList();
        Assert.Equal(["0804.2273", "2604.07429"], lines.Select(l => Some.Json(l).GetProperty("paper").GetProperty("id").GetString()).Order(StringComparer.Ordinal));

        AssertRan(await Cli.RunAsync("import", Data("a.jsonl"), "--data", Data("b"), "--no-embed"));
        // The trending score is derived, computed by each import for the time it runs: not part of what is restored.
        Assert.Equal(papers.Select(WithoutTrending), Rows(Data("b"), "papers", "id").Select(WithoutTrending));
        Assert.Equal(entries, Rows(Data("b"), "daily_entries", "date, paper_id"));
        var again = await Cli.RunAsync("export", "--data", Data("b"));
        AssertRan(again);
        Assert.Equal(await File.ReadAllTextAsync(Data("a.jsonl")), again.Out);
    }

    static string WithoutTrending(string row) => string.Join(" | ", row.Split(" | ").Where(c => !c.StartsWith("trending=", StringComparison.Ordinal) && !c.StartsWith("trending_at=", StringComparison.Ordinal)));

    static void AssertRan((int Exit, string Out, string Err) run) => Assert.True(run.Exit == 0, $"exit {run.Exit}: {run.Err}");

    /// <summary>Every column of every row of a table, in key order, as text: "the same rows" field by field, new columns included.</summary>
    static List<string> Rows(string data, string table, string orderBy)
    {
        using var c = new SqliteConnection($"Data Source={Path.Combine(data, "dailypapers.db")};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT * FROM {table} ORDER BY {orderBy}";
        using var reader = cmd.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
            rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i =>
                $"{reader.GetName(i)}={(reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))}")));
        return rows;
    }

    [Fact]
    public async Task AKilledImportRerunEndsWithTheSameRowsAsAnUninterruptedOne()
    {
        var lines = Enumerable.Range(1, 6000).Select(i => Some.HfEntry($"2601.{i:D5}", $"2026-01-{1 + i % 28:D2}", upvotes: i % 97));
        var file = Some.File(lines.ToArray());
        Assert.Equal(0, (await Cli.RunAsync("import", file, "--data", Data("whole"), "--no-embed")).Exit);

        using (var victim = Cli.Start("import", file, "--data", Data("killed"), "--batch-size", "50", "--no-embed"))
        {
            var partial = await WaitForRowsAsync(Data("killed"), victim);
            victim.Kill(entireProcessTree: true); // SIGKILL on Linux: no cleanup runs
            await victim.WaitForExitAsync();
            Assert.InRange(partial, 1, 5999);
        }
        var rerun = await Cli.RunAsync("import", file, "--data", Data("killed"), "--no-embed");
        Assert.Equal(0, rerun.Exit);
        var whole = await Cli.RunAsync("export", "--data", Data("whole"));
        var resumed = await Cli.RunAsync("export", "--data", Data("killed"));
        Assert.Equal(6000, whole.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(whole.Out, resumed.Out);
    }

    // Waits until some batches have committed, so the kill lands in the middle of the import.
    static async Task<long> WaitForRowsAsync(string data, System.Diagnostics.Process victim)
    {
        var db = Path.Combine(data, "dailypapers.db");
        var rows = await Eventually.Until(() => Task.FromResult(File.Exists(db) ? Count(db) : 0), n => n > 0 || victim.HasExited,
            "the import to commit its first batch");
        Assert.False(victim.HasExited, $"the import finished ({rows} rows) before it could be killed");
        return rows;
    }

    static long Count(string db)
    {
        try
        {
            using var c = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT COUNT(*) FROM papers";
            return (long)cmd.ExecuteScalar()!;
        }
        catch (SqliteException) { return 0; } // schema not there yet
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }
}

[Trait("Engine", "none")] // pure functions: no database, so test.sh runs them once, not again on PostgreSQL
public class CommandLineTests
{
    [Theory]
    [InlineData("import a.jsonl --data d", "import")]
    [InlineData("--data d import a.jsonl", "import")]
    [InlineData("--data d", "serve")]
    [InlineData("--urls http://127.0.0.1:1 --no-sample", "serve")]
    [InlineData("--data d --Harvest:DelaySeconds=1 migrate --dry-run", "migrate")]
    public void TheCommandIsTheFirstBareWordWhereverItStands(string line, string command)
    {
        var cli = CommandLine.Parse(line.Split(' '));
        Assert.Null(cli.Error);
        Assert.Equal(command, cli.Command);
    }

    [Fact]
    public void SettingsAndHostOptionsReachTheHost()
    {
        var cli = CommandLine.Parse(["--urls", "http://127.0.0.1:1", "--Harvest:DelaySeconds=1", "--data", "d", "--no-sample"]);
        Assert.Equal(["--urls", "http://127.0.0.1:1", "--Harvest:DelaySeconds=1"], cli.HostArgs);
        Assert.Equal("d", cli.Settings["DataDir"]);
        Assert.Equal("false", cli.Settings["LoadSample"]);
    }

    [Theory]
    [InlineData("import", "import needs at least one PATH")]
    [InlineData("serve --nosample", "unknown option '--nosample'")]
    [InlineData("export --batch-size 3", "unknown option '--batch-size'")]
    [InlineData("serve extra", "unexpected argument 'extra'")]
    [InlineData("--data", "--data needs a value")]
    public void MistakesAreNamed(string line, string error) => Assert.Contains(error, CommandLine.Parse(line.Split(' ')).Error);
}
