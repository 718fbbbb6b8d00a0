using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Globalization;
using Lucene.Net.Index;
using Microsoft.Data.Sqlite;

namespace DailyPapers.Tests.Search;

/// <summary>
/// The keyword index lives beside the database and is fed by an outbox written in the same transactions as the papers.
/// Killed with SIGKILL while it applies that outbox, or while it builds itself from scratch, the server restarts and
/// the index ends equal to the table: `reindex --verify` compares every id and a fingerprint of every indexed value.
/// </summary>
[Trait("Engine", "sqlite")] // the CLI on a bare --data folder, a SQLite file whatever the suite runs on: test.sh runs it once
public sealed class KeywordIndexCrashTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("dailypapers-index-").FullName;
    string Data => Path.Combine(dir, "data");

    [Fact]
    public async Task AServerKilledWhileIndexingRestartsToAnIndexEqualToTheTable()
    {
        Assert.Equal(0, (await Cli.RunAsync("import", Fixture.Path("hf/2026-08-21.jsonl"), "--data", Data, "--no-embed")).Exit);
        var port = FreePort();
        using (var server = await ServeAsync(port))
        {
            await VerifiedAsync(); // built at start
            var file = Some.File(Enumerable.Range(1, 6000).Select(i => Some.HfEntry($"2602.{i:D5}", $"2026-02-{1 + i % 28:D2}", title: $"Quokka survey number {i}")).ToArray());
            Assert.Equal(0, (await Cli.RunAsync("import", file, "--data", Data, "--no-embed")).Exit);
            Assert.Equal(6000, Waiting());
            // A search makes the server apply the outbox; it is killed once some, not all, of it is applied.
            _ = new HttpClient().GetAsync($"http://127.0.0.1:{port}/api/papers/search?q=quokka&mode=keyword");
            await Eventually.Until(() => Task.FromResult(Waiting()), n => n < 6000, "the server to apply a first batch");
            Kill(server);
        }
        using (var server = await ServeAsync(port))
        {
            await VerifiedAsync();
            await Eventually.Until(() => Task.FromResult(Waiting()), n => n == 0, "the outbox to be applied"); // applied again, then committed
            var hits = await new HttpClient().GetStringAsync($"http://127.0.0.1:{port}/api/papers/search?q=title:%22quokka+survey+number+5999%22&mode=keyword");
            Assert.Contains("2602.05999", hits);
            // `reindex` beside the running server builds a new folder and swaps it in; the server follows
            Assert.Equal(0, (await Cli.RunAsync("reindex", "--data", Data)).Exit);
            Assert.Single(Directory.GetDirectories(Path.Combine(Data, "search"), "keyword-*"));
            Assert.Contains("2602.05999", await new HttpClient().GetStringAsync($"http://127.0.0.1:{port}/api/papers/search?q=quokka+5999&mode=keyword"));
            Kill(server);
        }
        // Killed while building from nothing: the half-built folder is never made current, the next start builds again.
        Directory.Delete(Path.Combine(Data, "search"), recursive: true);
        using (var server = Cli.Start("serve", "--data", Data, "--urls", $"http://127.0.0.1:{port}", "--no-sample"))
        {
            await Eventually.Until(() => Task.FromResult(Directory.Exists(Path.Combine(Data, "search")) || server.HasExited), found => found, "the build to start");
            Kill(server);
        }
        using (var server = await ServeAsync(port))
        {
            await VerifiedAsync();
            Kill(server);
        }
    }

    // The index reads others' changes at start and then only when searched: the background poll (every
    // Search:FollowSeconds) would otherwise apply part of the import while the CLI still writes it.
    async Task<Process> ServeAsync(int port)
    {
        var server = Cli.Start("serve", "--data", Data, "--urls", $"http://127.0.0.1:{port}", "--no-sample", "--Search:FollowSeconds=86400");
        using var http = new HttpClient();
        await Eventually.Until(async () =>
        {
            if (server.HasExited) throw new InvalidOperationException("the server exited: " + await server.StandardError.ReadToEndAsync());
            try { return (await http.GetAsync($"http://127.0.0.1:{port}/healthz")).StatusCode; }
            catch (HttpRequestException) { return HttpStatusCode.ServiceUnavailable; }
        }, s => s == HttpStatusCode.OK, "the server to answer");
        return server;
    }

    // The server catches up in the background; the CLI reads its commits until they equal the table.
    async Task VerifiedAsync() =>
        await Eventually.Until(() => Cli.RunAsync("reindex", "--verify", "--data", Data), r => r.Exit == 0, "the keyword index to equal the papers table", show: r => r.Out + r.Err);

    /// <summary>Outbox rows past the cursor the index's last commit recorded (the rows stay; each index keeps a cursor).</summary>
    long Waiting()
    {
        long cursor;
        using (var directory = Lucene.Net.Store.FSDirectory.Open(Path.Combine(Data, "search", File.ReadAllText(Path.Combine(Data, "search", "current")).Trim())))
        using (var reader = DirectoryReader.Open(directory))
            cursor = long.Parse(reader.IndexCommit.UserData["outbox"], CultureInfo.InvariantCulture);
        using var c = new SqliteConnection($"Data Source={Path.Combine(Data, "dailypapers.db")};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM search_outbox WHERE id > $cursor";
        cmd.Parameters.AddWithValue("$cursor", cursor);
        return (long)cmd.ExecuteScalar()!;
    }

    static void Kill(Process server)
    {
        server.Kill(entireProcessTree: true); // SIGKILL on Linux: no cleanup runs
        server.WaitForExit();
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }
}
