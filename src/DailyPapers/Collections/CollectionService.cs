using DailyPapers.Data;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Collections;

public sealed record CollectionSummary(long Id, string Name, bool IsPublic, int Papers, DateTime CreatedAt);

/// <summary>An account's collections, for the API and the pages alike: the rules (names, how many) are here once.</summary>
public sealed class CollectionService(AppDb db, TimeProvider clock)
{
    public const int MaxName = 100;
    public const int MaxPerUser = 100;

    DateTime Now => clock.GetUtcNow().UtcDateTime;

    public static bool TryName(string? raw, out string name, out string error)
    {
        name = Ingest.Text.Squash(raw) ?? "";
        error = name.Length == 0 ? "name is required" : name.Length > MaxName ? $"name may have at most {MaxName} characters"
            : name.Any(char.IsControl) ? "name must not contain control characters" : "";
        return error.Length == 0;
    }

    /// <summary>A new collection, or the refusal (409) when the account keeps the most it may.</summary>
    public async Task<(Collection? Collection, string? Refusal)> CreateAsync(long userId, string name, bool isPublic, CancellationToken ct = default)
    {
        if (await db.Collections.CountAsync(c => c.UserId == userId, ct) >= MaxPerUser) return (null, $"you have {MaxPerUser} collections, the most one account may keep");
        var c = new Collection { UserId = userId, Name = name, IsPublic = isPublic, CreatedAt = Now };
        db.Collections.Add(c);
        await db.SaveChangesAsync(ct);
        return (c, null);
    }

    public Task<Collection?> OwnAsync(long id, long? userId, CancellationToken ct = default) =>
        db.Collections.SingleOrDefaultAsync(c => c.Id == id && c.UserId == userId, ct);

    /// <summary>Adds a paper readers can see; idempotent. False when there is no such paper.</summary>
    public async Task<bool> AddAsync(long collection, string paperId, CancellationToken ct = default)
    {
        if (!await db.Papers.AnyAsync(p => p.Id == paperId, ct)) return false;
        var now = Data.AppDb.ToMicroseconds(Now); // as the model stores times: the INSERT is raw
        await db.Database.ExecuteSqlAsync($"INSERT INTO collection_items (collection_id, paper_id, added_at) VALUES ({collection}, {paperId}, {now}) ON CONFLICT DO NOTHING", ct);
        return true;
    }

    public Task RemoveAsync(long collection, string paperId, CancellationToken ct = default) =>
        db.CollectionItems.Where(i => i.CollectionId == collection && i.PaperId == paperId).ExecuteDeleteAsync(ct);

    public Task<List<CollectionSummary>> MineAsync(long userId, CancellationToken ct = default) =>
        db.Collections.AsNoTracking().Where(c => c.UserId == userId).OrderBy(c => c.Id)
            .Select(c => new CollectionSummary(c.Id, c.Name, c.IsPublic, db.CollectionItems.Count(i => i.CollectionId == c.Id && db.Papers.Any(p => p.Id == i.PaperId)), c.CreatedAt))
            .ToListAsync(ct);

    /// <summary>Which of an account's collections hold a paper.</summary>
    public async Task<HashSet<long>> HoldingAsync(long userId, string paperId, CancellationToken ct = default) =>
        (await db.CollectionItems.Where(i => i.PaperId == paperId && db.Collections.Any(c => c.Id == i.CollectionId && c.UserId == userId))
            .Select(i => i.CollectionId).ToListAsync(ct)).ToHashSet();
}
