using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace DailyPapers.Data;

/// <summary>
/// Inserts new rows with the columns and value conversions the EF model gives, without EF's change tracking.
/// SaveChanges spends ~145 µs a row building commands on SQLite; one reused INSERT spends a tenth of that, which is
/// most of an import's time. On PostgreSQL the same rows go through one binary COPY: an INSERT a row is a network
/// round trip each, which made a bulk insert 3x SQLite's time there (docs/benchmarks.md). Both run in the caller's
/// transaction and fire the same triggers.
/// </summary>
public static class BulkInsert
{
    sealed record Column(IProperty Property, RelationalTypeMapping Mapping, IClrPropertyGetter Getter, string Name);

    public static async Task InsertAsync<T>(this AppDb db, IReadOnlyCollection<T> rows, CancellationToken ct = default) where T : class
    {
        if (rows.Count == 0) return;
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T)} is not mapped");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties().Select(p => new Column(p, (RelationalTypeMapping)p.GetRelationalTypeMapping(),
            p.GetGetter(), p.GetColumnName(table)!)).ToArray();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("bulk inserts run inside the caller's transaction");
        var sql = db.GetService<ISqlGenerationHelper>();
        var target = $"{sql.DelimitIdentifier(table.Name)} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Name)))})";
        if (transaction.Connection is NpgsqlConnection postgres) await CopyAsync(postgres, target, columns, rows, ct);
        else await InsertEachAsync(transaction, sql, target, columns, rows, ct);
    }

    static async Task InsertEachAsync<T>(System.Data.Common.DbTransaction transaction, ISqlGenerationHelper sql, string target,
        Column[] columns, IReadOnlyCollection<T> rows, CancellationToken ct) where T : class
    {
        await using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {target} VALUES ({string.Join(", ", columns.Select((_, i) => sql.GenerateParameterName($"p{i}")))})";
        foreach (var row in rows)
        {
            command.Parameters.Clear();
            for (var i = 0; i < columns.Length; i++)
                command.Parameters.Add(columns[i].Mapping.CreateParameter(command, $"p{i}", columns[i].Getter.GetClrValue(row), columns[i].Property.IsNullable));
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    // Each value is converted as EF would (the model's converters, e.g. times to the microsecond) and written with
    // the column's store type, so COPY stores what the INSERT path stores.
    static async Task CopyAsync<T>(NpgsqlConnection connection, string target, Column[] columns, IReadOnlyCollection<T> rows,
        CancellationToken ct) where T : class
    {
        await using var importer = await connection.BeginBinaryImportAsync($"COPY {target} FROM STDIN (FORMAT BINARY)", ct);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(ct);
            foreach (var column in columns)
            {
                var value = column.Getter.GetClrValue(row);
                if (column.Mapping.Converter is { } converter && value is not null) value = converter.ConvertToProvider(value);
                if (value is null) await importer.WriteNullAsync(ct);
                else await importer.WriteAsync(value, column.Mapping.StoreType, ct);
            }
        }
        await importer.CompleteAsync(ct);
    }
}
