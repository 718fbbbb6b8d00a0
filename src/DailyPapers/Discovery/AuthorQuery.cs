using System.Text;
using DailyPapers.Data;
using DailyPapers.Papers;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Discovery;

public sealed record CoAuthor(string Name, int Papers);

/// <summary>An author's page: the name as the papers spell it most often, one page of papers, and frequent co-authors.</summary>
public sealed record AuthorResult(string Name, PaperList List, IReadOnlyList<CoAuthor> CoAuthors);

/// <summary>
/// An author's papers: the one query behind /authors/{name}, its RSS and Atom feeds and /api/authors/{name}. A paper
/// is the author's when one of its visible authors (PaperView.AuthorNames) is exactly the name, ignoring case only:
/// "José" is not "Jose", as the papers themselves do not say they are the same person.
/// </summary>
public static class AuthorQuery
{
    public const int MaxName = 200;
    public const int CoAuthorCount = 20;

    /// <summary>A name from the route: at most MaxName characters, no control characters, spaces squashed.</summary>
    public static bool TryName(string? raw, out string name, out string error)
    {
        // ASP.NET Core leaves %2F encoded in a route value (decoding it would split the path): a name with a slash
        // arrives so, and is restored here.
        raw = raw?.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase) ?? "";
        name = Ingest.Text.Squash(raw) ?? "";
        error = raw.Any(char.IsControl) ? $"'{Ingest.Text.Clip(name)}' is not a name: it holds control characters"
            : name.Length == 0 ? "an author's name is required, as /authors/First%20Last"
            : name.Length > MaxName ? $"an author's name has at most {MaxName} characters"
            : "";
        return error.Length == 0;
    }

    /// <summary>The author's papers newest first (one page of them) and co-authors; null when no visible paper is theirs.</summary>
    public static async Task<AuthorResult?> AuthorAsync(AppDb db, string name, ListRequest request, CancellationToken ct = default)
    {
        var mine = await PapersOfAsync(db, name, ct);
        if (mine.Count == 0) return null;
        var ids = mine.Skip(request.Page * request.Limit).Take(request.Limit).Select(c => c.Id).ToList();
        var papers = await db.Papers.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var list = new PaperList(ids.Where(papers.ContainsKey).Select(id => papers[id]).ToList(), mine.Count, request);
        var spelled = mine.SelectMany(c => c.Names).Where(n => Same(n, name)).GroupBy(n => n, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        return new AuthorResult(spelled, list, CoAuthors(mine.Select(c => c.Names), name));
    }

    /// <summary>Every visible paper with the author, newest first, with its authors' names.</summary>
    static async Task<List<(string Id, IReadOnlyList<string> Names)>> PapersOfAsync(AppDb db, string name, CancellationToken ct)
    {
        // LIKE narrows in SQL, over the covering index papers_author_names (migration 0010): a scan of every paper's
        // names, a few milliseconds at 10,000 papers (README, Discovery); a table of names would be the next step at
        // a hundred times that. The comma-separated names narrow further (all of them stay when the name itself holds
        // a comma), and the JSON list decides.
        var candidates = await db.Papers.WhereLike(db, p => p.AuthorNames, Pattern(name))
            .Select(p => new { p.Id, p.PublishedAt, p.AuthorNames }).ToListAsync(ct);
        var likely = candidates.Where(c => name.Contains(',') || c.AuthorNames.Split(',').Any(n => Same(n, name)))
            .OrderByDescending(c => c.PublishedAt).ThenByDescending(c => c.Id, StringComparer.Ordinal).Select(c => c.Id).ToList();
        var authors = await db.Papers.Where(p => likely.Contains(p.Id)).Select(p => new { p.Id, p.AuthorsJson }).ToDictionaryAsync(p => p.Id, p => p.AuthorsJson, ct);
        return likely.Where(authors.ContainsKey).Select(id => (id, PaperView.Names(authors[id])))
            .Where(c => c.Item2.Any(n => Same(n, name))).ToList();
    }

    /// <summary>The names most often on the same papers, each paper counted once, most frequent first (then by name).</summary>
    public static IReadOnlyList<CoAuthor> CoAuthors(IEnumerable<IReadOnlyList<string>> papers, string name) =>
        papers.SelectMany(names => names.Where(n => !Same(n, name)).Distinct(StringComparer.OrdinalIgnoreCase))
            .GroupBy(n => n, StringComparer.OrdinalIgnoreCase)
            .Select(g => new CoAuthor(g.GroupBy(n => n, StringComparer.Ordinal).MaxBy(s => s.Count())!.Key, g.Count()))
            .OrderByDescending(c => c.Papers).ThenBy(c => c.Name, StringComparer.Ordinal).Take(CoAuthorCount).ToList();

    /// <summary>The same name: ignoring case and how spaces were typed, nothing else (not accents).</summary>
    static bool Same(string stored, string name) => string.Equals(Ingest.Text.Squash(stored), name, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// %name% for LIKE, with LIKE's own characters escaped. SQLite's LIKE folds the case of ASCII letters only, so
    /// every other character stands as _ (any one character), and a space as % (names stored with two), and the
    /// exact test decides: "émile zola" finds "Émile  Zola".
    /// </summary>
    static string Pattern(string name)
    {
        var sb = new StringBuilder("%");
        foreach (var rune in name.EnumerateRunes())
        {
            if (rune.Value is '%' or '_' or '\\') sb.Append('\\');
            sb.Append(rune.Value == ' ' ? '%' : rune.IsAscii ? (char)rune.Value : '_');
        }
        return sb.Append('%').ToString();
    }
}
