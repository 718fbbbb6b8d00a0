using System.Data.Common;
using System.Globalization;
using DailyPapers.Data;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DailyPapers.Web;

/// <summary>
/// The shared cache: lists, paper pages, feeds and the JSON API rendered once and served to every anonymous reader
/// (ASP.NET Core's output cache). Those pages hold nothing of the reader (Layout's Shared, /api/me), so one copy
/// fits everyone; a request that carries a session or an API token is never served from it nor stored in it.
/// </summary>
/// <remarks>
/// Freshness rests on one number, <see cref="DataVersion"/>, that is part of every entry's key: a write anywhere
/// (a vote, a comment, a hidden paper, an import in another process) moves it, so the next request misses and renders
/// afresh, and a render that raced with the write was stored under the old number that no one asks for again. Write
/// paths therefore need no call of their own, and none can be forgotten. The old entries are evicted by tag when the
/// number moves, and expire after a minute anyway, which also bounds text that ages with the clock ("3 hours ago").
/// </remarks>
public static class SharedCache
{
    public const string Policy = "shared";
    internal const string Tag = "shared";
    static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    public static void AddSharedCache(this IServiceCollection services)
    {
        services.AddSingleton<DataVersion>();
        services.AddOutputCache(o =>
        {
            o.AddPolicy(Policy, new SharedPolicy());
            // Bounded whatever addresses are asked for (every ?p= and ?date= is its own entry): the least recently used
            // go first. A list page is about 60 kB, so this holds a thousand.
            o.SizeLimit = 64 * 1024 * 1024;
            // /authors/{name} and /categories/{category} tell names apart by case: so does the key.
            o.UseCaseSensitivePaths = true;
        });
    }

    /// <summary>Marks a GET route as the same for every anonymous reader, to be cached (see the class remarks).</summary>
    public static TBuilder Shared<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder => builder.CacheOutput(Policy);

    /// <summary>Cookies that make a request personal: a session, or a one-time message that a page shows once.</summary>
    static bool Personal(HttpRequest request) =>
        request.Headers.Authorization.Count > 0 || request.Cookies.ContainsKey("dp_session") || request.Cookies.ContainsKey("dp_flash");

    sealed class SharedPolicy : IOutputCachePolicy
    {
        public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken ct)
        {
            var http = context.HttpContext;
            var request = http.Request;
            if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) || Personal(request)) return ValueTask.CompletedTask;
            // No version (the database cannot be read yet): render, store nothing.
            if (http.RequestServices.GetRequiredService<DataVersion>().Current() is not { } version) return ValueTask.CompletedTask;
            context.EnableOutputCaching = context.AllowCacheLookup = context.AllowCacheStorage = context.AllowLocking = true;
            context.ResponseExpirationTimeSpan = Lifetime;
            context.Tags.Add(Tag);
            context.CacheVaryByRules.VaryByValues["data"] = version.Tag;
            context.CacheVaryByRules.QueryKeys = "*"; // ?date=, ?p=, ?limit=: every address is its own copy
            // Compressed or not (the cache sits outside compression), and a paper's page or its Markdown (Accept).
            context.CacheVaryByRules.HeaderNames = new(["Accept-Encoding", "Accept"]);
            if (Errors.IsMachineRoute(request)) Validators(http.Response, version);
            return ValueTask.CompletedTask;
        }

        public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken ct) => ValueTask.CompletedTask;

        // Only a plain 200 is shared: never a reply that sets a cookie or carries one client's rate-limit counts.
        public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken ct)
        {
            var response = context.HttpContext.Response;
            if (response.StatusCode != StatusCodes.Status200OK || response.Headers.SetCookie.Count > 0 || response.Headers.ContainsKey(RateLimits.Header))
                context.AllowCacheStorage = false;
            return ValueTask.CompletedTask;
        }

        // Feeds and the API: a weak ETag from the data version (their bytes only change when it moves) and the time
        // it last moved; the cache itself answers a matching If-None-Match or If-Modified-Since with 304. no-cache: a
        // reader's browser keeps its copy but asks each time. Set before the handler runs, because the cache copies
        // the headers at the first byte of the body; an error answer drops them again as it starts.
        static void Validators(HttpResponse response, DataVersion.Stamp version)
        {
            response.Headers.ETag = $"W/\"{version.Tag}\"";
            response.Headers.LastModified = version.Since.ToString("R", CultureInfo.InvariantCulture);
            response.Headers.CacheControl = "no-cache";
            response.OnStarting(() =>
            {
                if (response.StatusCode != StatusCodes.Status200OK)
                {
                    response.Headers.Remove("ETag");
                    response.Headers.Remove("Last-Modified");
                }
                return Task.CompletedTask;
            });
        }
    }
}

/// <summary>
/// A number that moves whenever the database has changed, whoever changed it: this server, a CLI import in another
/// process, or another instance on the same file. SQLite keeps one for us: `PRAGMA data_version` differs between
/// two reads on one connection when any other connection committed in between. It is read on a connection of its
/// own, kept open, on every cacheable request (a few microseconds, no I/O beyond the WAL header); a change bumps
/// <see cref="Stamp"/> and evicts the entries stored under the old one.
/// </summary>
/// <remarks>
/// PostgreSQL has no such pragma: there the same class reads the one-row `data_version` table that a trigger on every
/// table bumps once per writing transaction (postgres/0012), so the number moves exactly when a commit becomes visible,
/// and each instance sees the others' writes.
/// </remarks>
public sealed class DataVersion(IOptions<AppOptions> options, IOutputCacheStore store, TimeProvider clock) : IDisposable
{
    /// <summary>
    /// The version as this process numbers it (a start nonce, so a restart never repeats one) and since when; Number
    /// orders the stamps of this process (a later one is larger).
    /// </summary>
    public sealed record Stamp(string Tag, DateTimeOffset Since, long Number);

    readonly Lock gate = new();
    readonly string nonce = clock.GetUtcNow().ToUnixTimeMilliseconds().ToString("x", CultureInfo.InvariantCulture);
    DbConnection? connection;
    DbCommand? pragma;
    SQLitePCL.sqlite3_stmt? statement;
    long seen = -1, counter;
    Stamp? current;

    public Stamp? Current()
    {
        lock (gate)
        {
            long value;
            try { value = Read(); }
            catch (DbException)
            {
                Close(); // the file or table is not there yet, or went away: try again next time, cache nothing meanwhile
                return null;
            }
            if (value == seen && current is not null) return current;
            var first = current is null;
            seen = value;
            // Whole seconds, as Last-Modified carries them: an If-Modified-Since echoed back compares equal.
            ++counter;
            current = new Stamp($"{nonce}-{counter}", DateTimeOffset.FromUnixTimeSeconds(clock.GetUtcNow().ToUnixTimeSeconds()), counter);
            if (!first) _ = store.EvictByTagAsync(SharedCache.Tag, CancellationToken.None).AsTask();
            return current;
        }
    }

    long Read()
    {
        if (connection is null)
        {
            var postgres = Provider.EngineOf(options.Value.ConnectionString) == Provider.Postgres;
            connection = postgres ? new NpgsqlConnection(Provider.NpgsqlConnectionString(options.Value.ConnectionString)) : Sqlite();
            connection.Open();
            if (connection is SqliteConnection sqlite) statement = Prepared(sqlite);
            else
            {
                pragma = connection.CreateCommand();
                pragma.CommandText = "SELECT value FROM data_version";
            }
        }
        return statement is not null ? Step(statement) : Convert.ToInt64(pragma!.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    // On SQLite the pragma is one prepared statement stepped through SQLite's own API: every search reads the
    // version under this lock, and a command with its reader around the step made each hold longer (waiting for the
    // lock was 5% of the keyword API's time at 16 connections).
    static SQLitePCL.sqlite3_stmt Prepared(SqliteConnection sqlite)
    {
        var rc = SQLitePCL.raw.sqlite3_prepare_v2(sqlite.Handle, "PRAGMA data_version", out var prepared);
        SqliteException.ThrowExceptionForRC(rc, sqlite.Handle);
        return prepared;
    }

    long Step(SQLitePCL.sqlite3_stmt prepared)
    {
        try
        {
            var rc = SQLitePCL.raw.sqlite3_step(prepared);
            if (rc != SQLitePCL.raw.SQLITE_ROW) SqliteException.ThrowExceptionForRC(rc, ((SqliteConnection)connection!).Handle);
            return SQLitePCL.raw.sqlite3_column_int64(prepared, 0);
        }
        finally { SQLitePCL.raw.sqlite3_reset(prepared); }
    }

    // Never creates the file (ReadWrite, not ReadWriteCreate) and only reads: the startup step makes the schema.
    SqliteConnection Sqlite() => new(new SqliteConnectionStringBuilder(options.Value.ConnectionString) { Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());

    void Close()
    {
        statement?.Dispose();
        statement = null;
        pragma?.Dispose();
        connection?.Dispose();
        (pragma, connection) = (null, null);
        seen = -1; // a new connection numbers from anywhere: its first read must count as a change
    }

    public void Dispose()
    {
        lock (gate) Close();
    }
}
