using System.Diagnostics;
using DailyPapers.Feed;
using Microsoft.Data.Sqlite;

/// <summary>What the pages are measured on: ids and names read from the imported data, never guessed.</summary>
sealed record PagesPicks(int Papers, DateOnly Latest, string Paper, IReadOnlyList<string> Top, string Author, string Organization, string Keyword)
{
    public string Week => Period.WeekOf(Latest).Query;
    public string Month => Period.MonthOf(Latest).Query;
}

static class PagesData
{
    /// <summary>
    /// A fresh copy, under /tmp/pagesbench-*, of the real papers imported (--no-embed) into bench/.cache/pages once:
    /// the import takes about 40 s on 2 cores, and the run writes accounts, comments and votes into its copy.
    /// </summary>
    public static async Task<string> PrepareAsync(string file)
    {
        var cache = BenchHost.CacheDir("pages");
        var stamp = Path.Combine(cache, "imported-from.txt");
        var source = $"{Path.GetFullPath(file)} {new FileInfo(file).Length} {File.GetLastWriteTimeUtc(file):O}";
        if (!File.Exists(stamp) || File.ReadAllText(stamp) != source)
        {
            if (Directory.Exists(cache)) Directory.Delete(cache, true); // a half-done import: start over
            Console.Error.WriteLine($"importing {file} once into {Path.GetFullPath(cache)} …");
            using var import = Process.Start(App("import", file, "--no-embed", "--data", cache))!;
            var output = import.StandardOutput.ReadToEndAsync();
            var errors = import.StandardError.ReadToEndAsync();
            await import.WaitForExitAsync();
            if (import.ExitCode != 0) throw new InvalidOperationException($"import failed ({import.ExitCode}):\n{await output}{await errors}");
            Console.Error.WriteLine((await output).Trim());
            File.WriteAllText(stamp, source);
        }
        var dir = Directory.CreateTempSubdirectory("pagesbench-").FullName;
        foreach (var db in Directory.GetFiles(cache, "dailypapers.db*")) File.Copy(db, Path.Combine(dir, Path.GetFileName(db)));
        return dir;
    }

    /// <summary>The app's own command line, from the Release build next to the bench: `dotnet DailyPapers.dll …`.</summary>
    public static ProcessStartInfo App(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "DailyPapers.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        return start;
    }

    public static PagesPicks Pick(string dir)
    {
        using var c = new SqliteConnection($"Data Source={Path.Combine(dir, "dailypapers.db")};Mode=ReadOnly;Pooling=False");
        c.Open();
        var top = Strings(c, "SELECT id FROM papers WHERE hidden_at IS NULL ORDER BY imported_upvotes DESC, id LIMIT 5");
        return new PagesPicks(
            int.Parse(Strings(c, "SELECT count(*) FROM papers")[0]),
            DateOnly.Parse(Strings(c, "SELECT max(date) FROM daily_entries")[0]),
            top[0], top,
            MostFrequent(c, "papers, json_each(papers.authors_json) j", "json_extract(j.value, '$.name')"),
            MostFrequent(c, "papers", "json_extract(organization_json, '$.name')"),
            MostFrequent(c, "papers, json_each(papers.ai_keywords_json) j", "j.value"));
    }

    static string MostFrequent(SqliteConnection c, string from, string value) =>
        Strings(c, $"SELECT {value} AS v FROM {from} WHERE v IS NOT NULL GROUP BY v ORDER BY count(*) DESC, v LIMIT 1")[0];

    static List<string> Strings(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read()) list.Add(Convert.ToString(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        return list;
    }
}
