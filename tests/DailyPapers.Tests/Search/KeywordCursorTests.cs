using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DailyPapers.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DailyPapers.Tests.Search;

/// <summary>
/// Issue 14: each instance keeps its own keyword index and its own cursor into search_outbox, which no instance
/// drains. Run on whichever engine the suite runs on (DAILYPAPERS_TEST_POSTGRES), two instances being two apps on one
/// database with a data folder each (AppFactory.Sibling).
/// </summary>
public class KeywordCursorTests
{
    static readonly DateTime T = new(2026, 8, 21, 12, 0, 0, DateTimeKind.Utc);

    static KeywordFeed.OutboxRow Row(long id, double secondsAgo) => new(id, $"p{id}", T.AddSeconds(-secondsAgo), T);

    [Fact]
    public void TheCursorPassesAnIdGapOnlyOnceTheRowAfterItIsOlderThanTheGrace()
    {
        var grace = TimeSpan.FromSeconds(30);
        Assert.Equal(13, KeywordFeed.Advance(10, [Row(11, 1), Row(12, 1), Row(13, 0)], T, grace)); // one after another
        Assert.Equal(11, KeywordFeed.Advance(10, [Row(11, 5), Row(13, 5), Row(14, 5)], T, grace)); // 12 may still commit
        Assert.Equal(10, KeywordFeed.Advance(10, [Row(12, 29), Row(13, 29)], T, grace));
        Assert.Equal(14, KeywordFeed.Advance(10, [Row(11, 60), Row(13, 31), Row(14, 1)], T, grace)); // 12 never came
        Assert.Equal(14, KeywordFeed.Advance(10, [Row(12, 30), Row(13, 30), Row(14, 0)], T, grace));
        Assert.Equal(10, KeywordFeed.Advance(10, [], T, grace));
    }

    [Fact]
    public async Task BothInstancesFindWhatWasWrittenWhicheverSearchesFirst()
    {
        await using var a = new AppFactory();
        await a.ImportAsync("hf/2026-08-21.jsonl");
        await using var b = a.Sibling();
        var (ca, cb) = (a.CreateClient(), b.CreateClient());
        var (first, second) = await TwoPapersAsync(a);
        Assert.Empty(await IdsAsync(ca, "q=wombatquest")); // each builds its index
        Assert.Empty(await IdsAsync(cb, "q=wombatquest"));

        await RetitleAsync(a, first, "Wombatquest cursor one");
        Assert.Equal([first], await IdsAsync(ca, "q=wombatquest"));
        Assert.Equal([first], await IdsAsync(cb, "q=wombatquest")); // A applied the row first: it is still there for B
        await RetitleAsync(a, second, "Numbatquest cursor two");
        Assert.Equal([second], await IdsAsync(cb, "q=numbatquest"));
        Assert.Equal([second], await IdsAsync(ca, "q=numbatquest"));
        Assert.True(await a.WithDbAsync(db => db.Database.SqlQueryRaw<long>("SELECT id AS \"Value\" FROM search_outbox").CountAsync()) >= 2);
        foreach (var app in new[] { a, b })
        {
            await using var scope = app.Services.CreateAsyncScope();
            Assert.Empty(await scope.ServiceProvider.GetRequiredService<KeywordFeed>().VerifyAsync());
        }
    }

    /// <summary>
    /// PostgreSQL hands out identity ids at INSERT, not at commit: a row may become visible after a row with a larger
    /// id has been read. Simulated on both engines by taking a row out and putting it back later with its id.
    /// </summary>
    [Fact]
    public async Task ARowCommittedLateBelowOneAlreadyReadIsStillApplied()
    {
        await using var app = new AppFactory();
        await app.ImportAsync("hf/2026-08-21.jsonl");
        var client = app.CreateClient();
        var (first, second) = await TwoPapersAsync(app);
        Assert.Empty(await IdsAsync(client, "q=wombatquest")); // builds the index

        await RetitleAsync(app, first, "Wombatquest late row");
        var late = await LastOutboxIdAsync(app);
        await app.WithDbAsync(db => db.Database.ExecuteSqlAsync($"DELETE FROM search_outbox WHERE id = {late}")); // not committed yet
        await RetitleAsync(app, second, "Numbatquest early row");
        Assert.Equal([second], await IdsAsync(client, "q=numbatquest")); // the row after the gap is applied at once
        Assert.Empty(await IdsAsync(client, "q=wombatquest"));

        // The late transaction commits: its row has the smaller id, below the one already read.
        var insert = AppFactory.Postgres is null
            ? "INSERT INTO search_outbox (id, paper_id) VALUES ({0}, {1})"
            : "INSERT INTO search_outbox (id, paper_id) OVERRIDING SYSTEM VALUE VALUES ({0}, {1}); UPDATE data_version SET value = value + 1";
        await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(insert, late, first));
        Assert.Equal([first], await IdsAsync(client, "q=wombatquest"));
        Assert.Equal([second], await IdsAsync(client, "q=numbatquest"));
    }

    [Fact]
    public async Task AnIndexBehindTheOldestRowKeptIsBuiltAgainAndOldRowsArePruned()
    {
        await using var app = new AppFactory().WithoutJobs(); // nothing catches up but the searches below
        await app.ImportAsync("hf/2026-08-21.jsonl");
        var client = app.CreateClient();
        var (first, second) = await TwoPapersAsync(app);
        Assert.Empty(await IdsAsync(client, "q=wombatquest")); // builds the index

        // While this instance is away, its rows are pruned by another.
        await RetitleAsync(app, first, "Wombatquest pruned row");
        await RetitleAsync(app, second, "Numbatquest kept row");
        var last = await LastOutboxIdAsync(app);
        await app.WithDbAsync(db => db.Database.ExecuteSqlAsync($"DELETE FROM search_outbox WHERE id < {last}"));
        Assert.Equal([first], await IdsAsync(client, "q=wombatquest"));
        Assert.Equal([second], await IdsAsync(client, "q=numbatquest"));

        // Pruning deletes rows older than the retention, never the newest row.
        await RetitleAsync(app, first, "Wombatquest again");
        var old = DateTime.UtcNow - KeywordFeed.Retention - TimeSpan.FromHours(1);
        await app.WithDbAsync(db => db.Database.ExecuteSqlAsync($"UPDATE search_outbox SET created_at = {old}"));
        await RetitleAsync(app, second, "Numbatquest again");
        await using (var scope = app.Services.CreateAsyncScope())
            Assert.Equal(2, await scope.ServiceProvider.GetRequiredService<KeywordFeed>().PruneAsync());
        Assert.Equal(1, await app.WithDbAsync(db => db.Database.SqlQueryRaw<long>("SELECT id AS \"Value\" FROM search_outbox").CountAsync()));
        Assert.Equal([first], await IdsAsync(client, "q=%22wombatquest+again%22"));
        Assert.Equal([second], await IdsAsync(client, "q=%22numbatquest+again%22"));
    }

    static Task<(string, string)> TwoPapersAsync(AppFactory app) => app.WithDbAsync(async db =>
    {
        var ids = await db.Papers.OrderBy(p => p.Id).Select(p => p.Id).Take(2).ToListAsync();
        return (ids[0], ids[1]);
    });

    static Task<int> RetitleAsync(AppFactory app, string id, string title) =>
        app.WithDbAsync(db => db.Database.ExecuteSqlAsync($"UPDATE papers SET title = {title} WHERE id = {id}"));

    static Task<long> LastOutboxIdAsync(AppFactory app) =>
        app.WithDbAsync(db => db.Database.SqlQueryRaw<long>("SELECT max(id) AS \"Value\" FROM search_outbox").SingleAsync());

    static async Task<List<string>> IdsAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync("/api/papers/search?mode=keyword&limit=50&" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement[]>())!.Select(h => h.GetProperty("paper").GetProperty("id").GetString()!).ToList();
    }
}
