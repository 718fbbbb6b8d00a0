using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DailyPapers.Data;
using DailyPapers.Ingest;
using DailyPapers.Tests.Community;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DailyPapers.Tests.Ingest;

/// <summary>
/// The export as a backup of everything: a hub with rows in every table (the upgrade fixture, made through the app
/// itself) exports, restores into an empty data folder and exports again byte for byte; a restore into a hub that
/// already holds data merges by id and says what it did; an export taken while the server writes is one snapshot.
/// </summary>
public sealed class BackupTests
{
    static readonly string[] Kinds = ["paper", "user", "token", "vote", "comment", "collection", "collectionItem", "follow", "subscription", "report", "claim", "submission", "notification"];

    /// <summary>The upgrade fixture's hub, migrated, plus a notification (its schema predates them). No jobs: they write on their own clock.</summary>
    internal static async Task<AppFactory> FullHubAsync()
    {
        var app = Hub().With("Database", ""); // a SQLite file by nature; the hubs restored into run on the suite's engine
        File.Copy(Fixture.Path("upgrade/main-0005.db"), Path.Combine(app.DataDir, "dailypapers.db"));
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DatabaseStartup>().EnsureSchemaAsync(migrate: true);
        await app.WithDbAsync(db =>
        {
            db.Notifications.Add(new Notifications.Notification { UserId = 2, Kind = "reply", Text = "Grace replied.", Link = "/papers/2405.15738#c2", CreatedAt = new DateTime(2024, 5, 28, 7, 0, 0, DateTimeKind.Utc) });
            return db.SaveChangesAsync();
        });
        return app;
    }

    static AppFactory Hub() => new AppFactory().With("RunMigrations", "true").With("Digest:Schedule", "false").WithoutJobs();

    public static async Task<string> ExportAsync(AppFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var writer = new StringWriter();
        await scope.ServiceProvider.GetRequiredService<Exporter>().ExportAsync(writer);
        return writer.ToString();
    }

    static async Task<ImportCounts> ImportTextAsync(AppFactory app, string text, List<string>? conflicts = null)
    {
        _ = app.Server;
        await using var scope = app.Services.CreateAsyncScope();
        using var input = InputFile.Open(Some.File(text.TrimEnd('\n').Split('\n')));
        return await scope.ServiceProvider.GetRequiredService<Importer>().ImportAsync(input.Records(), conflict: conflicts is null ? null : conflicts.Add);
    }

    [Fact]
    public async Task EverythingRestoresIntoAnEmptyDataFolderAndExportsAgainByteForByte()
    {
        await using var source = await FullHubAsync();
        var exported = await ExportAsync(source);
        var types = exported.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => Some.Json(l).GetProperty("type").GetString()).Distinct();
        Assert.Equal(Kinds.Select(k => "dailypapers." + k), types);
        Assert.DoesNotContain("\"sessions\"", exported);
        Assert.Contains("\"passwordHash\":\"AQAAAA", exported); // hashes, never passwords

        await using var restored = Hub();
        var counts = await ImportTextAsync(restored, exported);
        Assert.Equal(0, counts.Rejected);
        Assert.All(counts.Rows.Values, r => Assert.Equal((0, 0), (r.Tally.Updated + r.Tally.Unchanged, r.Tally.Conflicting)));
        Assert.Equal(exported, await ExportAsync(restored));

        // Counts are recounted from the restored rows: Hugging Face's 32 upvotes and 3 comments plus 4 votes and 2 comments here.
        var paper = await restored.CreateClient().GetFromJsonAsync<JsonElement>("/api/papers/2405.15738");
        Assert.Equal((36, 5), (paper.GetProperty("upvotes").GetInt32(), paper.GetProperty("numComments").GetInt32()));
        Assert.Equal(HttpStatusCode.NotFound, (await restored.CreateClient().GetAsync("/api/papers/2405.15125")).StatusCode); // still hidden
        // The admin seat is taken, signing in works with the restored hash, and a suspension holds.
        Assert.True(Browser.IsRedirectTo(await new Browser(restored).SignUpAsync("newcomer@example.org"), "/account/signin"));
        Assert.Equal("member", await restored.WithDbAsync(db => db.Users.Where(u => u.Email == "newcomer@example.org").Select(u => u.Role).SingleAsync()));
    }

    [Fact]
    public async Task ARestoreIntoAHubWithDataMergesByIdAndNamesEachConflict()
    {
        await using var source = await FullHubAsync();
        var exported = await ExportAsync(source);

        // The same export again: nothing new, nothing changed.
        var again = await ImportTextAsync(source, exported);
        Assert.All(again.Rows.Values, r => Assert.Equal((0, 0, 0), (r.Tally.New, r.Tally.Updated, r.Tally.Conflicting)));

        // A hub where account 1 is somebody else: that account conflicts, and so does everything that is hers.
        await using var other = Hub();
        await Browser.UserWithTokenAsync(other, "someone.else@example.org");
        var conflicts = new List<string>();
        var counts = await ImportTextAsync(other, exported, conflicts);
        var users = counts.Rows.Values.Single(r => r.Plural == "users").Tally;
        Assert.Equal((4, 1), (users.New, users.Conflicting));
        Assert.Contains(conflicts, c => c.EndsWith("user 1 is another user here", StringComparison.Ordinal));
        Assert.Contains(conflicts, c => c.Contains("refers to user 1, which conflicted", StringComparison.Ordinal));
        Assert.Equal("someone.else@example.org", await other.WithDbAsync(db => db.Users.Where(u => u.Id == 1).Select(u => u.Email).SingleAsync()));
        // Nothing of hers was attached to the account that holds id 1 here.
        Assert.Equal(0, await other.WithDbAsync(db => db.Votes.CountAsync(v => v.UserId == 1)));
        Assert.Equal(0, await other.WithDbAsync(db => db.Comments.CountAsync(c => c.UserId == 1)));
        // Stored counts match the rows that did land.
        var votes = await other.WithDbAsync(db => db.Votes.CountAsync(v => v.PaperId == "2405.15738"));
        var paper = await other.WithDbAsync(db => db.PapersIncludingHidden.SingleAsync(p => p.Id == "2405.15738"));
        Assert.Equal(votes, paper.LocalUpvotes);
    }

    [Fact]
    public async Task AChangedRowIsUpdatedFromTheFile()
    {
        await using var source = await FullHubAsync();
        var exported = await ExportAsync(source);
        await source.WithDbAsync(db => db.Users.Where(u => u.Id == 2).ExecuteUpdateAsync(u => u.SetProperty(x => x.Name, "Renamed")));
        var counts = await ImportTextAsync(source, exported);
        Assert.Equal((1, 0), (counts.Rows.Values.Single(r => r.Plural == "users").Tally.Updated, counts.Rows.Values.Sum(r => r.Tally.Conflicting)));
        Assert.NotEqual("Renamed", await source.WithDbAsync(db => db.Users.Where(u => u.Id == 2).Select(u => u.Name).SingleAsync()));
    }

    [Fact]
    public async Task AnExportTakenWhileTheServerWritesIsOneSnapshotAndHoldsNoWriterUp()
    {
        await using var app = await FullHubAsync();
        var before = await ExportAsync(app);
        var writer = new WriteDuringExport(async () =>
        {
            // Another request's write, on its own connection, while the export is at its first paper.
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDb>();
            db.Follows.Add(new Follows.Follow { UserId = 5, Kind = "keyword", Value = "written during the export", CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        });
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<Exporter>().ExportAsync(writer);
        Assert.True(writer.Wrote);
        Assert.Equal(before, writer.ToString());
        Assert.NotEqual(before, await ExportAsync(app)); // the follow is there afterwards
    }

    /// <summary>A writer that runs a write once, when the export writes its first line, and waits for it.</summary>
    sealed class WriteDuringExport(Func<Task> write) : StringWriter
    {
        public bool Wrote { get; private set; }

        public override async Task WriteLineAsync(ReadOnlyMemory<char> line, CancellationToken ct = default)
        {
            await base.WriteLineAsync(line, ct);
            if (Wrote) return;
            Wrote = true;
            await write().WaitAsync(TimeSpan.FromSeconds(20), ct);
        }
    }

    [Fact]
    public async Task AnExportOfTheReleaseBeforeThisOneStillImportsAsItWas()
    {
        await using var app = Hub();
        var counts = await app.ImportAsync("upgrade/release-2026-11-export.jsonl");
        Assert.Equal((3, 3, 0), (counts.Records, counts.Papers.New, counts.Rejected));
        Assert.Empty(counts.Rows);
        Assert.Equal(await File.ReadAllTextAsync(Fixture.Path("upgrade/release-2026-11-export.jsonl")), await ExportAsync(app));
    }

    [Theory]
    [InlineData("{\"type\":\"dailypapers.ballot\",\"ballot\":{}}", "unknown export line type 'dailypapers.ballot'")]
    [InlineData("{\"type\":\"dailypapers.vote\"}", "no \"vote\" object")]
    [InlineData("{\"type\":\"dailypapers.vote\",\"vote\":{\"userId\":0,\"paperId\":\"2405.15738\",\"createdAt\":\"2024-05-28T00:00:00Z\"}}", "id 0 is not positive")]
    [InlineData("{\"type\":\"dailypapers.vote\",\"vote\":{\"userId\":1,\"paperId\":\"2405.15738v2\",\"createdAt\":\"2024-05-28T00:00:00Z\"}}", "is not an arXiv id without version")]
    [InlineData("{\"type\":\"dailypapers.user\",\"user\":{\"id\":1,\"email\":\"a@b.c\"}}", "missing required properties")]
    [InlineData("{\"type\":\"dailypapers.follow\",\"follow\":{\"userId\":1,\"kind\":\"planet\",\"value\":\"x\"}}", "kind must be one of")]
    public async Task AMalformedRowIsRejectedWithItsReasonAndNothingElseFails(string line, string reason)
    {
        await using var app = Hub();
        _ = app.Server;
        var rejected = new List<IngestRecord>();
        await using var scope = app.Services.CreateAsyncScope();
        using var input = InputFile.Open(Some.File(line));
        var counts = await scope.ServiceProvider.GetRequiredService<Importer>().ImportAsync(input.Records(), rejected.Add);
        Assert.Equal(1, counts.Rejected);
        Assert.Contains(reason, rejected.Single().Error);
    }

    [Fact]
    public async Task TheCliPrintsWhatTheMergeDidPerKind()
    {
        var dir = Directory.CreateTempSubdirectory("dailypapers-backup-").FullName;
        try
        {
            var data = Path.Combine(dir, "a");
            Directory.CreateDirectory(data);
            File.Copy(Fixture.Path("upgrade/main-0005.db"), Path.Combine(data, "dailypapers.db"));
            Assert.Equal(0, (await Cli.RunAsync("migrate", "--data", data)).Exit);
            var file = Path.Combine(dir, "backup.jsonl");
            var export = await Cli.RunAsync("export", "--out", file, "--data", data);
            Assert.Contains("exported 15 papers, 5 users, 6 tokens, 10 votes, 6 comments", export.Err);
            var restore = await Cli.RunAsync("import", file, "--data", Path.Combine(dir, "b"), "--no-embed");
            Assert.Equal(0, restore.Exit);
            Assert.Contains("users 5 new, 0 updated, 0 unchanged, 0 conflicting; tokens 6 new", restore.Out);
            var merge = await Cli.RunAsync("import", file, "--data", data, "--no-embed");
            Assert.Contains("users 0 new, 0 updated, 5 unchanged, 0 conflicting", merge.Out);
            Assert.Equal(await File.ReadAllTextAsync(file), (await Cli.RunAsync("export", "--data", Path.Combine(dir, "b"))).Out);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}
