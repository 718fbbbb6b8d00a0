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
    sealed class Snapshot(string tag)
    {
        public readonly string Tag = tag;
        public readonly Dictionary<string, Paper?> Papers = new(StringComparer.Ordinal);
        public HashSet<string>? Claimed, Hidden;
    }

    readonly Lock gate = new();
    Snapshot? current;

    public async Task<Dictionary<string, Paper>> PapersAsync(AppDb db, IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        var snapshot = Now(); // before reading: rows read after it are at least as new as its version
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
    public Task<HashSet<string>> ClaimedAsync(AppDb db, CancellationToken ct) =>
        SetAsync(s => s.Claimed, (s, v) => s.Claimed = v,
            db.AuthorClaims.Where(c => c.Status == Claims.AuthorClaim.Approved).Select(c => c.PaperId).Distinct(), ct);

    /// <summary>Ids of the papers a moderator hid (the vector index holds them; searches drop them).</summary>
    public Task<HashSet<string>> HiddenAsync(AppDb db, CancellationToken ct) =>
        SetAsync(s => s.Hidden, (s, v) => s.Hidden = v, db.PapersIncludingHidden.Where(p => p.HiddenAt != null).Select(p => p.Id), ct);

    async Task<HashSet<string>> SetAsync(Func<Snapshot, HashSet<string>?> get, Action<Snapshot, HashSet<string>> set, IQueryable<string> query, CancellationToken ct)
    {
        var snapshot = Now();
        lock (gate)
            if (snapshot is not null && get(snapshot) is { } kept) return kept;
        var read = (await query.ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        if (snapshot is not null) lock (gate) set(snapshot, read);
        return read;
    }

    /// <summary>The current version's rows, begun afresh when the version moved; null when it cannot be read (keep nothing).</summary>
    Snapshot? Now()
    {
        if (version.Current() is not { } stamp) return null;
        lock (gate)
        {
            if (current?.Tag != stamp.Tag) current = new Snapshot(stamp.Tag);
            return current;
        }
    }

    // Compiled once, with the ids as one parameter (Data/Provider): the SQL is the same for every search. A list of
    // parameters had the SQL generated again on each search (8% of the API's time), and EF.Parameter in a LINQ query
    // compiled a delegate on each call to read the list (a tenth of the load, in a profile at 16 connections).
    static readonly Func<AppDb, List<string>, IAsyncEnumerable<Paper>> PapersByIds =
        EF.CompileAsyncQuery((AppDb db, List<string> ids) => db.Papers.AsNoTracking().Where(p => ids.Contains(p.Id)));
}
