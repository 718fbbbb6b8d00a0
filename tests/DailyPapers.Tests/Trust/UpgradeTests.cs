using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DailyPapers.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DailyPapers.Tests.Trust;

/// <summary>
/// Kept from now on: a database made by main at 94a8fcd (schema 0005, rows in every table; Fixtures/upgrade) migrates
/// to today's schema with every row intact, and an export made then still imports. A later migration keeps these
/// passing, or declares its renamed columns below.
/// </summary>
public class UpgradeTests
{
    /// <summary>Columns renamed since the fixture was made: table.old → new.</summary>
    static readonly Dictionary<string, string> Renamed = new()
    {
        ["papers.upvotes"] = "imported_upvotes",
        ["papers.num_comments"] = "imported_comments",
    };

    static async Task<AppFactory> UpgradedAsync(Dictionary<string, List<Dictionary<string, object?>>>? before = null)
    {
        // Without the jobs: the mail sender would send the fixture's pending mail, which is a change of its own.
        // On SQLite whatever the suite runs on: the fixture is a SQLite file from a release that knew no other engine.
        var app = new AppFactory().With("Database", "").With("RunMigrations", "true").With("Digest:Schedule", "false").WithoutJobs();
        var file = Path.Combine(app.DataDir, "dailypapers.db");
        File.Copy(Fixture.Path("upgrade/main-0005.db"), file);
        if (before is not null) foreach (var (table, rows) in Dump(file)) before[table] = rows;
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DatabaseStartup>().EnsureSchemaAsync(migrate: true);
        return app;
    }

    [Fact]
    public async Task EveryRowOfEveryTableSurvivesTheMigration()
    {
        var before = new Dictionary<string, List<Dictionary<string, object?>>>();
        await using var app = await UpgradedAsync(before);
        SqliteConnection.ClearAllPools();
        var after = Dump(Path.Combine(app.DataDir, "dailypapers.db"));
        var counts = JsonDocument.Parse(File.ReadAllText(Fixture.Path("upgrade/counts.json"))).RootElement.GetProperty("tables");
        var missing = new List<string>();
        foreach (var table in counts.EnumerateObject().Where(t => t.Name != "schema_migrations"))
        {
            Assert.Equal(table.Value.GetInt32(), before[table.Name].Count); // the fixture is what its README says
            foreach (var (row, i) in before[table.Name].Select((r, i) => (r, i)))
                foreach (var (column, value) in row)
                {
                    var name = Renamed.GetValueOrDefault($"{table.Name}.{column}", column);
                    if (!Equals(Normal(after[table.Name][i].GetValueOrDefault(name)), Normal(value)))
                        missing.Add($"{table.Name} row {i + 1}: {column} was {value}, is {after[table.Name][i].GetValueOrDefault(name)}");
                }
        }
        Assert.Empty(missing);
        Assert.Equal(Schema.All, after["schema_migrations"].Select(r => (string)r["version"]!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TheUpgradedHubServesWhatItHeld()
    {
        await using var app = await UpgradedAsync();
        var api = app.CreateClient();
        // Hugging Face's 32 upvotes and 3 comments, plus the 4 votes and 2 comments made here.
        var paper = await api.GetFromJsonAsync<JsonElement>("/api/papers/2405.15738");
        Assert.Equal((36, 5), (paper.GetProperty("upvotes").GetInt32(), paper.GetProperty("numComments").GetInt32()));
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/papers/2405.15125")).StatusCode); // hidden then, hidden now
        // The first account was the admin; the seat is recorded, so no later sign-up becomes admin too.
        Assert.Equal(1L, await app.WithDbAsync(db => db.Database.SqlQueryRaw<long>("SELECT user_id AS \"Value\" FROM first_account").SingleAsync()));
        var signup = await new Community.Browser(app).SignUpAsync("newcomer@example.org");
        Assert.True(Community.Browser.IsRedirectTo(signup, "/account/signin"));
        Assert.Equal("member", await app.WithDbAsync(db => db.Users.Where(u => u.Email == "newcomer@example.org").Select(u => u.Role).SingleAsync()));
    }

    [Fact]
    public async Task AnExportMadeByThatMainStillImports()
    {
        await using var app = new AppFactory();
        var counts = await app.ImportAsync("upgrade/main-0005-export.jsonl");
        Assert.Equal((15, 15, 0), (counts.Records, counts.Papers.New, counts.Rejected));
        var expected = JsonDocument.Parse(File.ReadAllText(Fixture.Path("upgrade/counts.json"))).RootElement.GetProperty("papers");
        foreach (var p in expected.EnumerateObject())
        {
            var stored = await app.WithDbAsync(db => db.PapersIncludingHidden.SingleAsync(x => x.Id == p.Name));
            Assert.Equal(p.Value.GetProperty("upvotes").GetInt32(), stored.ImportedUpvotes);
            Assert.Equal(p.Value.GetProperty("num_comments").GetInt32(), stored.ImportedComments);
            Assert.Equal(p.Value.GetProperty("title").GetString(), stored.Title);
        }
    }

    static object? Normal(object? value) => value switch { DBNull => null, byte[] bytes => Convert.ToBase64String(bytes), _ => value };

    /// <summary>Every row of every table but SQLite's own and the keyword index's work queue, in rowid order, column by column.</summary>
    static Dictionary<string, List<Dictionary<string, object?>>> Dump(string file)
    {
        using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        connection.Open();
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_%' AND name NOT LIKE 'papers_fts%'";
            using var reader = list.ExecuteReader();
            while (reader.Read()) tables.Add(reader.GetString(0));
        }
        var dump = new Dictionary<string, List<Dictionary<string, object?>>>();
        foreach (var table in tables)
        {
            using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\" ORDER BY rowid";
            using var reader = select.ExecuteReader();
            var rows = new List<Dictionary<string, object?>>();
            while (reader.Read()) rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i)));
            dump[table] = rows;
        }
        return dump;
    }
}
