using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using DailyPapers.Tests.Community;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Tests.Ingest;

/// <summary>
/// Moving an installation between engines with the CLI (issue 14): a SQLite hub with rows of every kind the export
/// carries is exported, imported into an empty PostgreSQL database, and exported again byte for byte; the API answers
/// the same there; new rows get fresh ids after the move; and the way back, PostgreSQL to a new SQLite file, holds too.
/// </summary>
public sealed class EngineMoveTests
{
    const string Paper = "2405.15738";

    static AppFactory Hub() => new AppFactory().With("RunMigrations", "true").With("Digest:Schedule", "false").WithoutJobs();

    [PostgresFact]
    public async Task AHubMovesFromSqliteToPostgresAndBackWithoutLoss()
    {
        var dir = Directory.CreateTempSubdirectory("dailypapers-move-").FullName;
        try
        {
            // The source: the upgrade fixture (every table) plus rows written through the API now, with the clock's
            // own precision (a tenth of a microsecond; PostgreSQL keeps microseconds).
            await using var sqlite = await BackupTests.FullHubAsync();
            var token = await WriteThroughApiAsync(sqlite);
            var fromSqlite = await ExportAsync(sqlite, Path.Combine(dir, "sqlite.jsonl"));

            await using var postgres = Hub();
            _ = postgres.Services; // its own empty database, with the schema
            await ImportAsync(postgres, fromSqlite);
            Assert.Equal(await File.ReadAllTextAsync(fromSqlite), await File.ReadAllTextAsync(await ExportAsync(postgres, Path.Combine(dir, "postgres.jsonl"))));
            await AnswerAlikeAsync(sqlite, postgres, token);
            // Recounted from the moved rows: Hugging Face's 32 upvotes and 3 comments, plus 5 votes and 3 comments here.
            var paper = await postgres.CreateClient().GetFromJsonAsync<JsonElement>($"/api/papers/{Paper}");
            Assert.Equal((37, 6), (paper.GetProperty("upvotes").GetInt32(), paper.GetProperty("numComments").GetInt32()));
            // The same file again merges as unchanged: nothing conflicts with its own copy.
            var again = await ImportAsync(postgres, fromSqlite);
            Assert.Contains("users 0 new, 0 updated, 6 unchanged, 0 conflicting", again);
            Assert.Contains("comments 0 new, 0 updated, 7 unchanged, 0 conflicting", again);
            await NewRowsGetFreshIdsAsync(postgres, token);

            // Back: what PostgreSQL holds now (its own rows included) into a new SQLite file.
            var fromPostgres = await ExportAsync(postgres, Path.Combine(dir, "postgres-after.jsonl"));
            await using var back = Hub().With("Database", "");
            await ImportAsync(back, fromPostgres);
            Assert.Equal(await File.ReadAllTextAsync(fromPostgres), await File.ReadAllTextAsync(await ExportAsync(back, Path.Combine(dir, "back.jsonl"))));
            await AnswerAlikeAsync(postgres, back, token);
            await NewRowsGetFreshIdsAsync(back, token);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>An account with a token, and what it writes through the API: a reply, an upvote, a collection, a follow.</summary>
    static async Task<string> WriteThroughApiAsync(AppFactory app)
    {
        var (_, token) = await Browser.UserWithTokenAsync(app, "mover@example.org");
        await PostAsync(app, token, $"/api/papers/{Paper}/comments", new { body = "Moved **intact**: ünïcödé, 🚀, \"quotes\" and <b>tags</b>", parentId = 1 });
        await PostAsync(app, token, $"/api/papers/{Paper}/upvote", null);
        var collection = await PostAsync(app, token, "/api/collections", new { name = "Moving day", isPublic = true });
        await PostAsync(app, token, $"/api/collections/{collection.GetProperty("id").GetInt64()}/papers", new { arxivId = Paper });
        await PostAsync(app, token, "/api/follows", new { kind = "keyword", value = "mixture of experts" });
        return token;
    }

    static async Task<JsonElement> PostAsync(AppFactory app, string token, string url, object? body)
    {
        var response = await Browser.SendAsync(app, HttpMethod.Post, url, token, body);
        Assert.True(response.IsSuccessStatusCode, $"POST {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response.StatusCode == HttpStatusCode.NoContent ? default : await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    static async Task<string> ExportAsync(AppFactory app, string file)
    {
        var (exit, _, error) = await Cli.RunAsync(["export", "--out", file, .. app.DataOptions]);
        Assert.True(exit == 0, error);
        return file;
    }

    /// <summary>Imports a file with the CLI: nothing rejected, nothing in conflict; returns the summary.</summary>
    static async Task<string> ImportAsync(AppFactory app, string file)
    {
        var (exit, output, error) = await Cli.RunAsync(["import", file, "--no-embed", .. app.DataOptions]);
        Assert.True(exit == 0, error);
        Assert.DoesNotContain("conflict", error);
        Assert.Contains("; 0 rejected", output);
        return output;
    }

    /// <summary>The same answers from both hubs: a paper and its counts, its thread, a day, a collection, the stats, and what the token's owner sees.</summary>
    static async Task AnswerAlikeAsync(AppFactory a, AppFactory b, string token)
    {
        string[] urls = [$"/api/papers/{Paper}", $"/api/papers/{Paper}/comments", "/api/daily_papers?date=2024-05-28", "/api/papers?date=2024-05-28",
            "/api/collections/1", "/api/stats", "/api/me", "/api/notifications", "/api/follows", "/api/collections"];
        foreach (var url in urls)
        {
            var (left, right) = (await GetAsync(a, url, token), await GetAsync(b, url, token));
            Assert.True(left == right, $"{url} answers differently:\n{left}\n{right}");
        }
        Assert.Equal(HttpStatusCode.NotFound, (await b.CreateClient().GetAsync("/api/papers/2405.15125")).StatusCode); // still hidden
    }

    static async Task<string> GetAsync(AppFactory app, string url, string token)
    {
        var response = await app.CreateClient().SendAsync(Browser.WithBearer(HttpMethod.Get, url, token));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        if (body is JsonObject o)
        {
            o.Remove("csrf"); // a fresh token each answer
            o.Remove("embedded"); // sentence vectors are derived, not exported (the imports here run with --no-embed)
        }
        return $"{(int)response.StatusCode} {body?.ToJsonString()}";
    }

    /// <summary>After rows were imported with their ids, the next account, comment and collection take the next ids.</summary>
    static async Task NewRowsGetFreshIdsAsync(AppFactory app, string token)
    {
        var (users, comments, collections) = await app.WithDbAsync(async db =>
            (await db.Users.MaxAsync(u => u.Id), await db.Comments.MaxAsync(c => c.Id), await db.Collections.MaxAsync(c => c.Id)));
        var (user, _) = await Browser.UserWithTokenAsync(app, $"after.move.{Guid.NewGuid():N}@example.org");
        Assert.Equal(users + 1, user.Id);
        var signUp = await new Browser(app).SignUpAsync($"signup.{Guid.NewGuid():N}@example.org");
        Assert.True(Browser.IsRedirectTo(signUp, "/account/signin"), $"sign-up answered {(int)signUp.StatusCode}");
        Assert.Equal(users + 2, await app.WithDbAsync(db => db.Users.MaxAsync(u => u.Id)));
        var comment = await PostAsync(app, token, $"/api/papers/{Paper}/comments", new { body = "Written after the move." });
        Assert.Equal(comments + 1, comment.GetProperty("id").GetInt64());
        var collection = await PostAsync(app, token, "/api/collections", new { name = $"After the move {Guid.NewGuid():N}" });
        Assert.Equal(collections + 1, collection.GetProperty("id").GetInt64());
    }
}
