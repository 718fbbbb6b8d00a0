using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace DailyPapers.Data;

/// <summary>
/// Which database engine the configured connection string names, and the one place that tells EF Core. A PostgreSQL
/// connection string (Host=…, or a postgres:// URL as hosting services hand them out) selects Npgsql; anything else is
/// a SQLite file, as without configuration. The engine also names the folder of migrations (Data/Migrations/{engine}).
/// </summary>
public static class Provider
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public static string EngineOf(string connectionString) =>
        IsUrl(connectionString) || connectionString.TrimStart().StartsWith("Host=", StringComparison.OrdinalIgnoreCase)
            ? Postgres : Sqlite;

    public static void Configure(DbContextOptionsBuilder options, string connectionString)
    {
        // A list in a query (`ids.Contains(p.Id)`) is one parameter (a JSON array on SQLite, an array on PostgreSQL), so
        // the SQL is the same whatever the list's length and is generated once; compiled queries need it too.
        if (EngineOf(connectionString) == Postgres)
            options.UseNpgsql(NpgsqlConnectionString(connectionString), o => o.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter))
                .AddInterceptors(LockRows.Instance);
        else options.UseSqlite(connectionString, o => o.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter));
    }

    const string SkipLockedTag = "dailypapers: for update skip locked";

    /// <summary>
    /// Rows a transaction takes for itself, passing over rows another transaction has taken (PostgreSQL's FOR UPDATE
    /// SKIP LOCKED), so several workers each get their own share of a queue at once. SQLite needs nothing: its
    /// transactions begin IMMEDIATE, holding the one write lock, so workers take turns. For a plain query that ends
    /// in ORDER BY/LIMIT.
    /// </summary>
    public static IQueryable<T> SkipLocked<T>(this IQueryable<T> rows) => rows.TagWith(SkipLockedTag);

    sealed class LockRows : Microsoft.EntityFrameworkCore.Diagnostics.DbCommandInterceptor
    {
        public static readonly LockRows Instance = new();

        public override Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader> ReaderExecuting(
            System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData eventData,
            Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader> result)
        {
            Lock(command);
            return result;
        }

        public override ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader>> ReaderExecutingAsync(
            System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData eventData,
            Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Lock(command);
            return ValueTask.FromResult(result);
        }

        // EF writes a tag as a leading comment: "-- tag" on the first line of the command.
        static void Lock(System.Data.Common.DbCommand command)
        {
            if (command.CommandText.StartsWith("-- " + SkipLockedTag, StringComparison.Ordinal))
                command.CommandText = command.CommandText.TrimEnd().TrimEnd(';') + " FOR UPDATE SKIP LOCKED";
        }
    }

    public static string EngineOf(AppDb db) => db.Database.IsNpgsql() ? Postgres : Sqlite;

    /// <summary>
    /// Rows imported with their ids (a restored backup) leave a PostgreSQL identity behind, where SQLite's INTEGER
    /// PRIMARY KEY takes the largest id + 1 by itself: each identity moves past its table's largest id, so the next
    /// account or comment made here gets a fresh id rather than a duplicate-key error.
    /// </summary>
    public static async Task CatchUpIdentitiesAsync(AppDb db, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql()) return;
        await db.Database.ExecuteSqlRawAsync("""
            DO $$
            DECLARE t text;
            BEGIN
                FOR t IN SELECT table_name FROM information_schema.columns
                         WHERE table_schema = current_schema() AND column_name = 'id' AND is_identity = 'YES' LOOP
                    EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, ''id''), coalesce((SELECT max(id) FROM %I), 0) + 1, false)', t, t);
                END LOOP;
            END $$
            """, ct);
    }

    /// <summary>SQLite's LIKE ignores ASCII case; PostgreSQL's needs ILIKE for the same rows. For raw SQL.</summary>
    public static string LikeIgnoringCase(AppDb db) => db.Database.IsNpgsql() ? "ILIKE" : "LIKE";

    /// <summary>Rows whose column matches pattern (LIKE, escape '\\'), ignoring ASCII case on either engine.</summary>
    public static IQueryable<T> WhereLike<T>(this IQueryable<T> rows, AppDb db, Expression<Func<T, string>> column, string pattern)
    {
        Expression<Func<string, bool>> like = db.Database.IsNpgsql()
            ? c => EF.Functions.ILike(c, pattern, "\\")
            : c => EF.Functions.Like(c, pattern, "\\");
        var body = new Replace(like.Parameters[0], column.Body).Visit(like.Body);
        return rows.Where(Expression.Lambda<Func<T, bool>>(body, column.Parameters));
    }

    sealed class Replace(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }

    /// <summary>postgres://user:password@host:port/database (user, password and port optional) as Npgsql's key=value form.</summary>
    public static string NpgsqlConnectionString(string value)
    {
        if (!IsUrl(value)) return value;
        var url = new Uri(value.Trim());
        var credentials = url.UserInfo.Split(':', 2);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = url.Host,
            Port = url.IsDefaultPort || url.Port <= 0 ? 5432 : url.Port,
            Database = Uri.UnescapeDataString(url.AbsolutePath.TrimStart('/')),
        };
        if (credentials[0].Length > 0) builder.Username = Uri.UnescapeDataString(credentials[0]);
        if (credentials.Length > 1) builder.Password = Uri.UnescapeDataString(credentials[1]);
        return builder.ToString();
    }

    static bool IsUrl(string value) =>
        value.TrimStart().StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || value.TrimStart().StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);
}
