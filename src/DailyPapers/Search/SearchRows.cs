using DailyPapers.Data;
using DailyPapers.Papers;
using DailyPapers.Web;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Search;

/// <summary>
/// The rows searches show, read from the database once per data version (<see cref="DataVersion"/>) and kept until it
/// moves: the papers by id, the papers with an approved authorship claim, the hidden ones. Reading the shown papers by id
/// cost as much as the Lucene search itself (a statement prepared for each read: 34% of the keyword API's time, and
/// the claims another 10%, in a profile at 16 connections; docs/benchmarks.md). A write anywhere, by this process or
/// another, moves the version, so a vote, a hidden paper or an import shows on the next search, as it does with the
/// shared page cache. The Paper objects are shared between requests: callers only read them.
/// </summary>
public sealed class SearchRows(DataVersion version)
{
    /// <summary>
    /// Papers kept at most (about 6 kB each, and their analysed text for highlights, KeywordHighlights, about 4 kB);
    /// past it the set starts again, so memory stays bounded. It holds a 10k-paper hub whole: the 500 dev queries
    /// at 20 results touch 5,564 papers, and a smaller set kept emptying and reading them again.
    /// </summary>
    const int Capacity = 16_384;

    /// <summary>One version's rows. A missing key: not read yet; a null value: no visible paper has that id.</summary>
    sealed class Snapshot(long number)
    {
        public readonly long Number = number;
        public readonly Dictionary<string, Paper?> Papers = new(StringComparer.Ordinal);
        public HashSet<string>? Claimed, Hidden;
    }

    readonly Lock gate = new();
    Snapshot? current;

    /// <summary>
    /// The version a request's reads key on, read once by the caller before any of them (KeywordSearch's catch-up,
    /// the papers, the claims): each read of it takes a lock shared by every request, and waiting on that lock, two or
    /// three times a request, was 5% of the keyword API's time at 16 connections. Null: it cannot be read (keep nothing).
    /// </summary>
    public DataVersion.Stamp? Version() => version.Current();

    /// <param name="seen">From <see cref="Version"/>, read before this call: rows read after it are at least as new.</param>
    public async Task<Dictionary<string, Paper>> PapersAsync(AppDb db, IReadOnlyCollection<string> ids, DataVersion.Stamp? seen, CancellationToken ct)
    {
        var snapshot = At(seen);
        var found = new Dictionary<string, Paper>(StringComparer.Ordinal);
        var missing = new List<string>();
        lock (gate)
            foreach (var id in ids.Distinct())
                if (snapshot?.Papers.TryGetValue(id, out var p) != true) missing.Add(id);
                else if (p is not null) found[id] = p;
        if (missing.Count == 0) return found;
        await foreach (var p in PapersByIds(db, missing).WithCancellation(ct)) found[p.Id] = p;
        if (snapshot is null) return found;
        lock (gate)
        {
            if (snapshot.Papers.Count + missing.Count > Capacity) snapshot.Papers.Clear();
            foreach (var id in missing) snapshot.Papers[id] = found.GetValueOrDefault(id);
        }
        return found;
    }

    /// <summary>Ids of papers with an approved authorship claim (Hugging Face's isAuthorParticipating).</summary>
    public Task<HashSet<string>> ClaimedAsync(AppDb db, DataVersion.Stamp? seen, CancellationToken ct) =>
        SetAsync(seen, s => s.Claimed, (s, v) => s.Claimed = v,
            () => db.AuthorClaims.Where(c => c.Status == Claims.AuthorClaim.Approved).Select(c => c.PaperId).Distinct(), ct);

    /// <summary>Ids of the papers a moderator hid (the vector index holds them; searches drop them).</summary>
    public Task<HashSet<string>> HiddenAsync(AppDb db, DataVersion.Stamp? seen, CancellationToken ct) =>
        SetAsync(seen, s => s.Hidden, (s, v) => s.Hidden = v, () => db.PapersIncludingHidden.Where(p => p.HiddenAt != null).Select(p => p.Id), ct);

    // The query is made only when the set is not kept: the first use of a request's DbContext starts its services
    // (7% of the keyword API's time when the claims were kept and the query was made anyway).
    async Task<HashSet<string>> SetAsync(DataVersion.Stamp? seen, Func<Snapshot, HashSet<string>?> get, Action<Snapshot, HashSet<string>> set, Func<IQueryable<string>> query, CancellationToken ct)
    {
        var snapshot = At(seen);
        lock (gate)
            if (snapshot is not null && get(snapshot) is { } kept) return kept;
        var read = (await query().ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        if (snapshot is not null) lock (gate) set(snapshot, read);
        return read;
    }

    /// <summary>The version's rows, begun afresh when the version moved; null when it could not be read (keep nothing).</summary>
    Snapshot? At(DataVersion.Stamp? seen)
    {
        if (seen is not { } stamp) return null;
        lock (gate)
        {
            // A request that read the version before a write may come after one that read it since: it keeps nothing
            // rather than replace the newer rows.
            if (current is not null && current.Number > stamp.Number) return null;
            if (current?.Number != stamp.Number) current = new Snapshot(stamp.Number);
            return current;
        }
    }

    // Compiled once, with the ids as one parameter (Data/Provider): the SQL is the same for every search. A list of
    // parameters had the SQL generated again on each search (8% of the API's time), and EF.Parameter in a LINQ query
    // compiled a delegate on each call to read the list (a tenth of the load, in a profile at 16 connections).
    static readonly Func<AppDb, List<string>, IAsyncEnumerable<Paper>> PapersByIds =
        EF.CompileAsyncQuery((AppDb db, List<string> ids) => db.Papers.AsNoTracking().Where(p => ids.Contains(p.Id)));
}
