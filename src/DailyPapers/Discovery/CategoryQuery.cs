using DailyPapers.Data;
using DailyPapers.Papers;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Discovery;

/// <summary>A category's page: one page of its papers and how many papers carry categories at all.</summary>
public sealed record CategoryResult(string Category, PaperList List, (int WithCategories, int All) Coverage);

/// <summary>A category or an archive with the number of papers in it; an archive counts each paper once.</summary>
public sealed record CategoryCount(string Category, int Papers);

/// <summary>An archive (cs) with its total and its categories (cs.CV, cs.LG…), most papers first.</summary>
public sealed record ArchiveCounts(CategoryCount Archive, IReadOnlyList<CategoryCount> Categories);

/// <summary>The one query behind /categories/{category}, its feeds and /api/categories/{category}; and the counts of /categories.</summary>
public static class CategoryQuery
{
    /// <summary>Papers in a category read by ArxivCategory.TryParse, newest first: cs.LG itself, or an archive's every category.</summary>
    public static async Task<CategoryResult> CategoryAsync(AppDb db, string category, ListRequest request, CancellationToken ct = default) =>
        new(category, await PaperList.NewestFirstAsync(db, In(db.Papers, category), request, ct), await ArxivCategory.CoverageAsync(db, ct));

    /// <summary>
    /// ArxivCategory.Matches in SQL (instr, case-sensitive as the rule is): the category among the space-separated
    /// ones, or for an archive any of its categories. A scan of the covering index papers_categories (migration 0010),
    /// which skips the papers without categories: about a millisecond at 10,000 papers.
    /// </summary>
    public static IQueryable<Paper> In(IQueryable<Paper> papers, string category)
    {
        var exact = $" {category} ";
        var child = $" {category}.";
        return ArxivCategory.IsArchive(category)
            ? papers.Where(p => p.Categories != null && ((" " + p.Categories + " ").Contains(exact) || (" " + p.Categories).Contains(child)))
            : papers.Where(p => p.Categories != null && (" " + p.Categories + " ").Contains(exact));
    }

    /// <summary>Every archive and category of the visible papers with its count, archives with the most papers first.</summary>
    public static async Task<IReadOnlyList<ArchiveCounts>> CountsAsync(AppDb db, CancellationToken ct = default)
    {
        // Only the short categories column travels, counted here in one pass: a few milliseconds at 10,000 papers.
        var stored = await db.Papers.Where(p => p.Categories != null && p.Categories != "").Select(p => p.Categories!).ToListAsync(ct);
        var categories = new Dictionary<string, int>(StringComparer.Ordinal);
        var archives = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var listed in stored.Select(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct().ToList()))
        {
            foreach (var c in listed.Where(c => !ArxivCategory.IsArchive(c))) categories[c] = categories.GetValueOrDefault(c) + 1;
            foreach (var a in listed.Select(Archive).Distinct()) archives[a] = archives.GetValueOrDefault(a) + 1;
        }
        var byArchive = categories.GroupBy(c => Archive(c.Key)).ToDictionary(g => g.Key, g => Ordered(g.Select(c => new CategoryCount(c.Key, c.Value))));
        return Ordered(archives.Select(a => new CategoryCount(a.Key, a.Value)))
            .Select(a => new ArchiveCounts(a, byArchive.GetValueOrDefault(a.Category) ?? [])).ToList();
    }

    static List<CategoryCount> Ordered(IEnumerable<CategoryCount> counts) =>
        counts.OrderByDescending(c => c.Papers).ThenBy(c => c.Category, StringComparer.Ordinal).ToList();

    static string Archive(string category) => category.Split('.')[0];
}
