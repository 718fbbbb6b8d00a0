using System.Text;
using DailyPapers.Data;
using DailyPapers.Papers;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Search;

public sealed record KeywordHit(string Id, double Score);

/// <summary>
/// BM25 keyword search on SQLite FTS5: the one place with FTS5 syntax. Words are ANDed first, the sharper and
/// faster query; when that finds too few, the same words ORed fill the list, still ranked by BM25.
/// </summary>
public sealed class KeywordSearch(AppDb db)
{
    public async Task<IReadOnlyList<KeywordHit>> SearchAsync(SearchQuery query, SearchFilters filters, int limit, CancellationToken ct = default)
    {
        if (!query.Positive.Any()) return await FilteredAsync(filters, limit, ct);
        var hidden = (await HiddenIdsAsync(db, ct)).Count;
        var hits = await RunAsync(Match(query, "AND"), filters, limit, hidden, ct);
        if (hits.Count >= limit || query.Positive.Count() < 2) return hits;
        var more = await RunAsync(Match(query, "OR"), filters, limit, hidden, ct);
        var seen = hits.Select(h => h.Id).ToHashSet();
        return [.. hits, .. more.Where(h => seen.Add(h.Id)).Take(limit - hits.Count)];
    }

    /// <summary>The FTS5 expression: every user word inside double quotes, so nothing in it is FTS syntax.</summary>
    public static string Match(SearchQuery query, string join)
    {
        var positive = string.Join($" {join} ", query.Positive.Select(Term));
        var negative = string.Concat(query.Terms.Where(t => t.Excluded).Select(t => " NOT " + Term(t)));
        return $"({positive}){negative}";
    }

    static string Term(SearchTerm t)
    {
        var column = t.Field switch { SearchField.Title => "title : ", SearchField.Author => "authors : ", _ => "" };
        return $"{column}\"{t.Text}\"{(t.Prefix ? " *" : "")}";
    }

    async Task<IReadOnlyList<KeywordHit>> RunAsync(string match, SearchFilters filters, int limit, int hidden, CancellationToken ct)
    {
        // Ranked by FTS5's rank column, the weighted BM25 configured in migration 0003. Without filters, the top
        // rows are picked inside FTS5 before any join: the fastest shape it offers; it reads as many more as there are
        // hidden papers, which the join then drops, so a page stays full.
        var parameters = new List<object> { new SqliteParameter("$match", match), new SqliteParameter("$limit", limit), new SqliteParameter("$deeper", limit + hidden) };
        if (!filters.Any)
            return await db.Database.SqlQueryRaw<KeywordHit>("""
                SELECT p.id AS "Id", f.rank AS "Score"
                FROM (SELECT rowid, rank FROM papers_fts WHERE papers_fts MATCH $match ORDER BY rank LIMIT $deeper) f
                JOIN papers p ON p.rowid = f.rowid WHERE p.hidden_at IS NULL ORDER BY f.rank LIMIT $limit
                """, [.. parameters]).ToListAsync(ct);
        var sql = new StringBuilder("""
            SELECT p.id AS "Id", papers_fts.rank AS "Score"
            FROM papers_fts JOIN papers p ON p.rowid = papers_fts.rowid
            WHERE papers_fts MATCH $match
            """);
        AppendFilters(sql, parameters, filters);
        sql.Append(" ORDER BY papers_fts.rank LIMIT $limit");
        return await db.Database.SqlQueryRaw<KeywordHit>(sql.ToString(), [.. parameters]).ToListAsync(ct);
    }

    // cat: alone, with no words: the newest papers of the category.
    async Task<IReadOnlyList<KeywordHit>> FilteredAsync(SearchFilters filters, int limit, CancellationToken ct)
    {
        var sql = new StringBuilder("SELECT p.id AS \"Id\", 0.0 AS \"Score\" FROM papers p WHERE 1 = 1");
        var parameters = new List<object>();
        AppendFilters(sql, parameters, filters);
        sql.Append(" ORDER BY p.published_at DESC LIMIT $limit");
        parameters.Add(new SqliteParameter("$limit", limit));
        return await db.Database.SqlQueryRaw<KeywordHit>(sql.ToString(), [.. parameters]).ToListAsync(ct);
    }

    static void AppendFilters(StringBuilder sql, List<object> parameters, SearchFilters f)
    {
        // Raw SQL does not see AppDb's Hidden filter: the same rule, written here once for this seam.
        sql.Append(" AND p.hidden_at IS NULL");
        if (f.From is { } from) Add(sql, parameters, " AND p.published_at >= $from", "$from", from.ToString("yyyy-MM-dd"));
        if (f.To is { } to) Add(sql, parameters, " AND p.published_at < $to", "$to", to.AddDays(1).ToString("yyyy-MM-dd"));
        if (f.HasCode is { } code) sql.Append(code ? " AND p.github_repo IS NOT NULL" : " AND p.github_repo IS NULL");
        for (var i = 0; i < f.Categories.Count; i++)
        {
            // ArxivCategory.Matches in SQL: the category itself, or any category of an archive; instr is case-sensitive,
            // as the rule is (categories were read into arXiv's own spelling).
            var c = f.Categories[i];
            var clause = ArxivCategory.IsArchive(c)
                ? $" AND (instr(' ' || p.categories || ' ', $c{i}) > 0 OR instr(' ' || p.categories, $a{i}) > 0)"
                : $" AND instr(' ' || p.categories || ' ', $c{i}) > 0";
            Add(sql, parameters, clause, $"$c{i}", $" {c} ");
            if (ArxivCategory.IsArchive(c)) parameters.Add(new SqliteParameter($"$a{i}", $" {c}."));
        }
    }

    static void Add(StringBuilder sql, List<object> parameters, string clause, string name, object value)
    {
        sql.Append(clause);
        parameters.Add(new SqliteParameter(name, value));
    }

    /// <summary>Title and abstract with the matched words marked by \u0002…\u0003, for the ids of one result page.</summary>
    public async Task<Dictionary<string, (string Title, string Snippet)>> HighlightsAsync(SearchQuery query, IReadOnlyList<string> ids, CancellationToken ct = default)
    {
        if (ids.Count == 0 || !query.Positive.Any()) return [];
        var idList = string.Join(",", ids.Select((_, i) => $"$id{i}"));
        var sql = $"""
            SELECT p.id AS "Id", highlight(papers_fts, 0, char(2), char(3)) AS "Title", snippet(papers_fts, 1, char(2), char(3), '…', 40) AS "Snippet"
            FROM papers_fts JOIN papers p ON p.rowid = papers_fts.rowid
            WHERE papers_fts MATCH $match AND p.id IN ({idList})
            """;
        var parameters = ids.Select((id, i) => (object)new SqliteParameter($"$id{i}", id)).Append(new SqliteParameter("$match", Match(query, "OR")));
        var rows = await db.Database.SqlQueryRaw<HighlightRow>(sql, [.. parameters]).ToListAsync(ct);
        return rows.ToDictionary(r => r.Id, r => (r.Title, r.Snippet));
    }

    sealed record HighlightRow(string Id, string Title, string Snippet);

    /// <summary>The papers moderators hid: few, and found through the partial index of migration 0006.</summary>
    public static async Task<HashSet<string>> HiddenIdsAsync(AppDb db, CancellationToken ct) =>
        (await db.PapersIncludingHidden.Where(p => p.HiddenAt != null).Select(p => p.Id).ToListAsync(ct)).ToHashSet();

    /// <summary>Rebuilds the index from the papers (after a restore or a VACUUM, which may renumber rows).</summary>
    public async Task RebuildAsync(CancellationToken ct = default) =>
        await db.Database.ExecuteSqlRawAsync("INSERT INTO papers_fts (papers_fts) VALUES ('rebuild')", ct);
}

public sealed record SearchFilters(DateOnly? From, DateOnly? To, IReadOnlyList<string> Categories, bool? HasCode)
{
    public bool Any => From is not null || To is not null || Categories.Count > 0 || HasCode is not null;
}
