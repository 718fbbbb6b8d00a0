using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DailyPapers.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace DailyPapers.Tests.Hostile;

/// <summary>
/// A hash of every row of every table of the app's database (SQLite or PostgreSQL), kept per table so a difference names the table.
/// Hostile requests must leave it identical: a refused request writes nothing, not even half a record.
/// </summary>
public sealed class Fingerprint
{
    readonly SortedDictionary<string, (long Rows, string Hash)> tables;

    internal Fingerprint(SortedDictionary<string, (long Rows, string Hash)> tables) => this.tables = tables;

    /// <summary>What differs, one line per table: empty when the data is the same.</summary>
    public IReadOnlyList<string> Diff(Fingerprint after)
    {
        var lines = new List<string>();
        foreach (var name in tables.Keys.Union(after.tables.Keys).Order(StringComparer.Ordinal))
        {
            var had = tables.TryGetValue(name, out var before);
            var has = after.tables.TryGetValue(name, out var now);
            if (!had) lines.Add($"table {name} appeared ({now.Rows} rows)");
            else if (!has) lines.Add($"table {name} disappeared");
            else if (before.Rows != now.Rows) lines.Add($"{name}: {before.Rows} -> {now.Rows} rows");
            else if (before.Hash != now.Hash) lines.Add($"{name}: same {now.Rows} rows, contents changed");
        }
        return lines;
    }
}

/// <summary>
/// Takes fingerprints of one database through a read-only connection of its own (it can never write, nor hold a
/// connection the app wants). Tables are every table of the schema but the engine's own (SQLite's sqlite_*, and on
/// PostgreSQL data_version, the change counter its triggers keep) and the keyword index's work queue (search_outbox:
/// rows written with changes to the papers, which are fingerprinted themselves, and pruned by age).
/// Rows are read in key order.
/// </summary>
public sealed class Fingerprinter : IDisposable
{
    /// <summary>
    /// Columns a harmless request writes by design, left out of every fingerprint: the bearer handler stamps
    /// api_tokens.last_used_at on each request it authenticates, and the suite authenticates hundreds.
    /// </summary>
    public static readonly IReadOnlySet<string> Volatile = new HashSet<string>(StringComparer.Ordinal) { "api_tokens.last_used_at" };

    readonly DbConnection connection;
    readonly bool postgres;
    // The schema does not change during a run: each table's columns and SELECT are worked out once.
    readonly List<(string Table, List<string> Columns, DbCommand Select)> tables;

    public Fingerprinter(string connectionString)
    {
        postgres = Provider.EngineOf(connectionString) == Provider.Postgres;
        connection = postgres
            ? new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Provider.NpgsqlConnectionString(connectionString)) { Pooling = false }.ToString())
            : new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        if (postgres) Execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
        tables = TableNames().Select(Prepare).ToList();
    }

    /// <summary>
    /// Moves only when another connection commits: unchanged means nothing was written since the last look. SQLite's
    /// PRAGMA data_version; on PostgreSQL the one-row table every writing transaction bumps (postgres/0012).
    /// </summary>
    public long DataVersion()
    {
        using var command = connection.CreateCommand();
        command.CommandText = postgres ? "SELECT value FROM data_version" : "PRAGMA data_version";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>The fingerprint now; <paramref name="ignore"/> holds "table.column" or "table.*" entries that may differ.</summary>
    public Fingerprint Take(IReadOnlySet<string>? ignore = null)
    {
        var result = new SortedDictionary<string, (long, string)>(StringComparer.Ordinal);
        foreach (var (table, columns, select) in tables)
        {
            if (Ignored(ignore, table, "*")) continue;
            var kept = columns.Select((c, i) => (c, i)).Where(x => !Ignored(ignore, table, x.c)).Select(x => x.i).ToArray();
            result[table] = Hash(select, kept);
        }
        return new Fingerprint(result);
    }

    public void Dispose()
    {
        foreach (var (_, _, select) in tables) select.Dispose();
        connection.Dispose();
    }

    static bool Ignored(IReadOnlySet<string>? ignore, string table, string column) =>
        Volatile.Contains($"{table}.{column}") || ignore?.Contains($"{table}.{column}") == true || ignore?.Contains($"{table}.*") == true;

    void Execute(string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    List<string> TableNames()
    {
        using var command = connection.CreateCommand();
        command.CommandText = postgres
            ? @"SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
                AND table_name <> 'data_version' AND table_name NOT LIKE 'search\_%' ESCAPE '\' ORDER BY table_name"
            : @"SELECT name FROM sqlite_master WHERE type = 'table'
                AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND name NOT LIKE 'search\_%' ESCAPE '\' ORDER BY name";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read()) names.Add(reader.GetString(0));
        return names;
    }

    /// <summary>
    /// The table's columns in declaration order and a SELECT ordered by its primary key (else SQLite's rowid, or
    /// every column on PostgreSQL, which has no stable row order of its own).
    /// </summary>
    (string, List<string>, DbCommand) Prepare(string table)
    {
        var columns = new List<string>();
        var key = new SortedList<long, string>();
        using (var info = connection.CreateCommand())
        {
            info.CommandText = postgres
                ? $@"SELECT c.column_name::text, coalesce(k.ordinal_position, 0)::bigint
                     FROM information_schema.columns c
                     LEFT JOIN information_schema.table_constraints t
                       ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.constraint_type = 'PRIMARY KEY'
                     LEFT JOIN information_schema.key_column_usage k
                       ON k.constraint_name = t.constraint_name AND k.table_schema = c.table_schema AND k.column_name = c.column_name
                     WHERE c.table_schema = current_schema() AND c.table_name = {Quote(table, '\'')}
                     ORDER BY c.ordinal_position"
                : $"SELECT name, pk FROM pragma_table_info({Quote(table, '\'')})";
            using var reader = info.ExecuteReader();
            while (reader.Read())
            {
                columns.Add(reader.GetString(0));
                if (reader.GetInt64(1) > 0) key.Add(reader.GetInt64(1), reader.GetString(0));
            }
        }
        var orderBy = key.Count > 0 ? string.Join(", ", key.Values.Select(c => Quote(c, '"')))
            : postgres ? string.Join(", ", columns.Select(c => Quote(c, '"'))) : "rowid";
        var select = connection.CreateCommand();
        select.CommandText = $"SELECT {string.Join(", ", columns.Select(c => Quote(c, '"')))} FROM {Quote(table, '"')} ORDER BY {orderBy}";
        select.Prepare();
        return (table, columns, select);
    }

    static (long, string) Hash(DbCommand select, int[] kept)
    {
        using var reader = select.ExecuteReader();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long rows = 0;
        while (reader.Read())
        {
            rows++;
            foreach (var i in kept) hash.AppendData(Encoding.UTF8.GetBytes(Cell(reader.GetValue(i)) + "\u001f"));
            hash.AppendData("\u001e"u8);
        }
        return (rows, Convert.ToHexString(hash.GetHashAndReset()));
    }

    // Typed, so 1 and '1' differ; doubles round-trip exactly.
    static string Cell(object value) => value switch
    {
        DBNull => "null",
        long or int or short => "i:" + Convert.ToString(value, CultureInfo.InvariantCulture),
        DateTime t => "d:" + t.ToString("O", CultureInfo.InvariantCulture),
        double d => "r:" + d.ToString("R", CultureInfo.InvariantCulture),
        byte[] b => "b:" + Convert.ToHexString(b),
        _ => "t:" + Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    static string Quote(string name, char quote) => quote + name.Replace(quote.ToString(), new string(quote, 2)) + quote;
}
