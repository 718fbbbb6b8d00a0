using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace DailyPapers.Data;

/// <summary>
/// One read transaction over many queries: every query in it sees the database as it was at its first read, while the
/// server goes on writing. The seam for engines: in SQLite (WAL, Schema.PrepareAsync) a deferred transaction takes no
/// lock until it writes, and it never writes, so writers are not held up; a plain BeginTransaction would be BEGIN
/// IMMEDIATE there, holding the write lock for the whole export. PostgreSQL needs REPEATABLE READ for one snapshot.
/// </summary>
public static class ReadSnapshot
{
    public static async Task<IAsyncDisposable> BeginAsync(AppDb db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        var tx = db.Database.GetDbConnection() is SqliteConnection sqlite
            ? sqlite.BeginTransaction(IsolationLevel.Serializable, deferred: true)
            : await db.Database.GetDbConnection().BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        await db.Database.UseTransactionAsync(tx, ct);
        return new Snapshot(db, tx);
    }

    sealed class Snapshot(AppDb db, System.Data.Common.DbTransaction tx) : IAsyncDisposable
    {
        // Rolled back: it read only, and a rollback cannot fail for want of a lock.
        public async ValueTask DisposeAsync()
        {
            await tx.RollbackAsync();
            await db.Database.UseTransactionAsync(null);
            await tx.DisposeAsync();
            await db.Database.CloseConnectionAsync();
        }
    }
}
