using System.Reflection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Data;

/// <summary>
/// Plain SQL migrations, one folder per database engine, applied in name order and recorded in schema_migrations.
/// Hand-written SQL rather than EF migrations: reviewable, and the same mechanism serves every engine.
/// </summary>
public sealed class Schema(AppDb db)
{
    /// <summary>The migrations of the SQLite schema, by name.</summary>
    public static IReadOnlyList<string> All { get; } = For(Provider.Sqlite);

    /// <summary>The migrations of one engine (Provider.Sqlite or Provider.Postgres), by name.</summary>
    public static IReadOnlyList<string> For(string engine) => typeof(Schema).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith($"migrations/{engine}/", StringComparison.Ordinal))
        .Select(n => Path.GetFileNameWithoutExtension(n))
        .Order(StringComparer.Ordinal).ToList();

    string Engine => Provider.EngineOf(db);

    public async Task<IReadOnlyList<string>> PendingAsync(CancellationToken ct = default)
    {
        var applied = await AppliedAsync(ct);
        return For(Engine).Where(m => !applied.Contains(m)).ToList();
    }

    /// <summary>True for a database with no tables of ours yet (a first start).</summary>
    public async Task<bool> IsEmptyAsync(CancellationToken ct = default) => (await AppliedAsync(ct)).Count == 0;

    // The advisory lock that `migrate` and startup take on PostgreSQL: any number, the same in every instance ("daily").
    const long MigrationLock = 0x6461696c79;

    /// <summary>
    /// Applies the pending migrations in one transaction that first takes the schema for itself, so several instances
    /// starting at once on one database (or `migrate` beside them) apply each migration once: the others wait, then
    /// find nothing pending. PostgreSQL: pg_advisory_xact_lock, held until the commit; SQLite: the transaction begins
    /// IMMEDIATE, holding the file's write lock. DDL is transactional on both: the pending migrations are applied
    /// whole, or none of them.
    /// </summary>
    public async Task<IReadOnlyList<string>> ApplyAsync(CancellationToken ct = default)
    {
        await PrepareAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (Engine == Provider.Postgres) await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({MigrationLock})", ct);
        var pending = await PendingAsync(ct);
        foreach (var name in pending)
            await ApplyOneAsync(tx, name, ct);
        await tx.CommitAsync(ct);
        return pending;
    }

    async Task ApplyOneAsync(Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction tx, string name, CancellationToken ct)
    {
        // Straight to the connection: EF's raw SQL would read { } in the script as format placeholders.
        await using (var command = db.Database.GetDbConnection().CreateCommand())
        {
            command.Transaction = Microsoft.EntityFrameworkCore.Storage.DbContextTransactionExtensions.GetDbTransaction(tx);
            command.CommandText = Read(Engine, name);
            await command.ExecuteNonQueryAsync(ct);
        }
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO schema_migrations (version, applied_at) VALUES ({name}, {DateTime.UtcNow:O})", ct);
    }

    // SQLite creates the file but not its folder; a fresh --data DIR must just work.
    void EnsureFolder()
    {
        if (Engine != Provider.Sqlite) return;
        var folder = Path.GetDirectoryName(new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource);
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
    }

    async Task PrepareAsync(CancellationToken ct)
    {
        if (Engine == Provider.Postgres)
        {
            // Under the lock too: two CREATE TABLE IF NOT EXISTS at once can both try to create it, and one fails.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({MigrationLock})", ct);
            await db.Database.ExecuteSqlRawAsync(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version text NOT NULL PRIMARY KEY, applied_at timestamptz NOT NULL);", ct);
            await tx.CommitAsync(ct);
            return;
        }
        // WAL lets readers go on while an import writes, and survives kill -9; the setting is stored in the file.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        await db.Database.ExecuteSqlRawAsync(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL);", ct);
    }

    async Task<HashSet<string>> AppliedAsync(CancellationToken ct)
    {
        EnsureFolder();
        var exists = await db.Database.SqlQueryRaw<int>(Engine == Provider.Postgres
            ? "SELECT COUNT(*)::int AS \"Value\" FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations'"
            : "SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").SingleAsync(ct);
        if (exists == 0) return [];
        var rows = await db.Database.SqlQueryRaw<string>("SELECT version AS \"Value\" FROM schema_migrations").ToListAsync(ct);
        return rows.ToHashSet(StringComparer.Ordinal);
    }

    static string Read(string engine, string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"migrations/{engine}/{name}.sql")
            ?? throw new InvalidOperationException($"migration {name} is not embedded");
        return new StreamReader(stream).ReadToEnd();
    }
}
