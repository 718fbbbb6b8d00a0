using System.Text.Json;
using DailyPapers.Data;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Ingest;

public enum RowChange { New, Updated, Unchanged, Conflicting }

/// <summary>One kind of export row: how it is written, read and merged. ExportRows.All lists them.</summary>
public abstract class RowKind(string name, string plural)
{
    /// <summary>The line's type, e.g. dailypapers.user; the entity sits under the property Field.</summary>
    public string Type { get; } = ExportRows.Prefix + name;
    public string Field { get; } = name;
    /// <summary>As the import summary names it.</summary>
    public string Plural { get; } = plural;

    /// <summary>Writes every row, in key order; returns how many.</summary>
    public abstract Task<int> WriteAsync(AppDb db, TextWriter output, CancellationToken ct);

    public abstract object Read(JsonElement value);

    /// <summary>Merges one row; the reason when it conflicts.</summary>
    public abstract Task<(RowChange Change, string? Why)> MergeAsync(AppDb db, object row, MergeState state, CancellationToken ct);

    /// <summary>The papers whose stored counts (votes, visible comments) this row can change.</summary>
    public virtual string? CountedPaper(object row) => null;
}

/// <summary>
/// The merge rule, the same for every kind. A row whose key is not here is inserted with its ids (new). A stored row
/// with the same key is the same thing when its identity columns agree (the address of an account, the author and
/// time of a comment…): then the file's values replace the stored ones (updated) or already equal them (unchanged).
/// Otherwise, or when a unique column is taken by another row, or when it refers to something absent or in conflict,
/// the row conflicts: nothing stored is touched, and rows that refer to it conflict too.
/// </summary>
public sealed class RowKind<T>(string name, string plural, Func<AppDb, IQueryable<T>> ordered, Func<T, object[]> key,
    Func<T, IEnumerable<RowRef>>? refs = null, Func<T, T, bool>? same = null, Func<AppDb, T, Task<bool>>? clash = null,
    Func<T, string?>? check = null, Func<T, string>? counted = null) : RowKind(name, plural) where T : class
{
    public override async Task<int> WriteAsync(AppDb db, TextWriter output, CancellationToken ct)
    {
        var count = 0;
        // Streamed, not buffered: memory stays flat however many votes there are.
        await foreach (var row in ordered(db).AsNoTracking().AsAsyncEnumerable().WithCancellation(ct))
        {
            await output.WriteLineAsync($"{{\"type\":\"{Type}\",\"{Field}\":{JsonSerializer.Serialize(row, ExportRows.Options)}}}".AsMemory(), ct);
            count++;
        }
        return count;
    }

    public override object Read(JsonElement value)
    {
        var row = value.Deserialize<T>(ExportRows.Options) ?? throw new BadRecordException($"no \"{Field}\" object");
        var bad = ExportRows.CheckKey(key(row))
                  ?? (Refs(row).FirstOrDefault(r => r.Kind == "paper") is { Kind: not null } p ? ExportRows.CheckPaperId(p.Id) : null)
                  ?? check?.Invoke(row);
        return bad is null ? row : throw new BadRecordException($"{Field}: {bad}");
    }

    IEnumerable<RowRef> Refs(T row) => refs?.Invoke(row) ?? [];

    string Label(T row) => $"{Field} {string.Join("/", key(row))}";

    public override string? CountedPaper(object row) => counted?.Invoke((T)row);

    public override async Task<(RowChange, string?)> MergeAsync(AppDb db, object value, MergeState state, CancellationToken ct)
    {
        var row = (T)value;
        foreach (var r in Refs(row))
            if (await state.UnusableAsync(db, r, ct) is { } why) return Conflict(row, state, $"{Label(row)} refers to {r}, {why}");
        var stored = await db.Set<T>().FindAsync(key(row), ct);
        if (stored is null)
        {
            if (clash is not null && await clash(db, row)) return Conflict(row, state, $"{Label(row)}: another {Field} here has the same unique value");
            // With its own id: SQLite's next id is then past it. (PostgreSQL's identity sequences will need moving past
            // the imported ids, in that provider's seam.)
            db.Add(row);
            return await SaveAsync(db, row, state, RowChange.New, ct);
        }
        if (same is not null && !same(stored, row)) return Conflict(row, state, $"{Label(row)} is another {Field} here");
        if (Fingerprint(stored) == Fingerprint(row)) return (RowChange.Unchanged, null);
        db.Entry(stored).CurrentValues.SetValues(row);
        return await SaveAsync(db, row, state, RowChange.Updated, ct);
    }

    // Row by row, so a constraint the rules above did not foresee refuses this row only: inside the batch's
    // transaction EF saves to a savepoint and rolls back to it, and every earlier row is already saved.
    async Task<(RowChange, string?)> SaveAsync(AppDb db, T row, MergeState state, RowChange change, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return (change, null);
        }
        catch (DbUpdateException ex)
        {
            db.ChangeTracker.Clear();
            return Conflict(row, state, $"{Label(row)}: the database refused it ({ex.InnerException?.Message ?? ex.Message})");
        }
    }

    (RowChange, string?) Conflict(T row, MergeState state, string why)
    {
        state.Conflicted.Add(new RowRef(Field, key(row)[0]));
        return (RowChange.Conflicting, why);
    }

    static string Fingerprint(T row) => JsonSerializer.Serialize(row, ExportRows.Options);
}

/// <summary>
/// What one import has learnt so far: rows that conflicted (what refers to them conflicts too, so nothing is attached
/// to somebody else's account) and rows known to exist (asked once each).
/// </summary>
public sealed class MergeState
{
    public HashSet<RowRef> Conflicted { get; } = [];
    readonly HashSet<RowRef> present = [];

    /// <summary>Why a referenced row cannot be used, or null when it can.</summary>
    public async Task<string?> UnusableAsync(AppDb db, RowRef r, CancellationToken ct)
    {
        if (Conflicted.Contains(r)) return "which conflicted";
        if (present.Contains(r)) return null;
        var exists = r.Kind switch
        {
            "user" => await db.Users.FindAsync([r.Id], ct) is not null,
            "paper" => await db.PapersIncludingHidden.AnyAsync(p => p.Id == (string)r.Id, ct),
            "comment" => await db.Comments.FindAsync([r.Id], ct) is not null,
            "collection" => await db.Collections.FindAsync([r.Id], ct) is not null,
            _ => false,
        };
        if (!exists) return "which is not here";
        present.Add(r);
        return null;
    }
}
