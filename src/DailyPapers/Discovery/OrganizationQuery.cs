using DailyPapers.Data;
using DailyPapers.Papers;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Discovery;

/// <summary>An organisation's page: its names and one page of its papers.</summary>
public sealed record OrganizationResult(Organization Organization, PaperList List);

/// <summary>
/// An organisation's papers: the one query behind /organizations/{name}, its feeds and /api/organizations/{name}.
/// A paper is the organisation's when Hugging Face listed it under that name, on the paper or on a daily entry.
/// </summary>
public static class OrganizationQuery
{
    public static string Invalid(string raw) =>
        $"'{Ingest.Text.Clip(raw)}' is not an organisation's name as Hugging Face writes it (letters, digits, '-', '_', '.', at most {Organization.MaxName})";

    /// <summary>The organisation's papers newest first (one page of them); null when no visible paper is listed under it.</summary>
    public static async Task<OrganizationResult?> OrganizationAsync(AppDb db, string name, ListRequest request, CancellationToken ct = default)
    {
        // The organisation is JSON text; json_extract over both tables is a few milliseconds at 10,000 papers. These ids
        // may name hidden papers: the queries below go through db.Papers, whose filter drops them.
        var ids = await db.Database.SqlQuery<string>($"""
            SELECT id AS Value FROM papers WHERE json_valid(organization_json) AND json_extract(organization_json, '$.name') = {name} COLLATE NOCASE
            UNION SELECT paper_id FROM daily_entries WHERE json_valid(organization_json) AND json_extract(organization_json, '$.name') = {name} COLLATE NOCASE
            """).ToListAsync(ct);
        var papers = db.Papers.Where(p => ids.Contains(p.Id));
        var list = await PaperList.NewestFirstAsync(papers, request, ct);
        if (list.Total == 0) return null;
        var stored = await papers.Select(p => p.OrganizationJson)
            .Union(db.DailyEntries.Where(e => ids.Contains(e.PaperId)).Select(e => e.OrganizationJson)).ToListAsync(ct);
        var organization = stored.Select(Organization.Read).FirstOrDefault(o => string.Equals(o?.Name, name, StringComparison.OrdinalIgnoreCase));
        return new OrganizationResult(organization ?? new Organization(name, name), list);
    }
}
