using DailyPapers.Data;
using DailyPapers.Feed;
using DailyPapers.Papers;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Discovery;

/// <summary>What a discovery list (an author's, an organisation's, a category's papers) asks for: page p of limit papers.</summary>
public sealed record ListRequest(int Page, int Limit)
{
    const int MaxPage = 100_000;

    /// <summary>What TryRead reads, for the OpenAPI document.</summary>
    public static readonly Web.ApiQuery[] Parameters =
    [
        new("p", "Page, from 0.", Microsoft.OpenApi.JsonSchemaType.Integer),
        new("limit", "Papers per page, 1-100 (default 50).", Microsoft.OpenApi.JsonSchemaType.Integer),
    ];

    /// <summary>Reads p (from 0) and limit (1-100, default 50), as the daily list reads them; on bad input says which and why.</summary>
    public static bool TryRead(IQueryCollection q, out ListRequest request, out string error)
    {
        request = new(0, FeedRequest.DefaultLimit);
        if (!FeedRequest.TryInt(q, "p", 0, MaxPage, 0, out var page, out error)) return false;
        if (!FeedRequest.TryInt(q, "limit", 1, FeedRequest.MaxLimit, FeedRequest.DefaultLimit, out var limit, out error)) return false;
        request = new(page, limit);
        return true;
    }
}

/// <summary>One page of a discovery list, newest first, with the size of the whole list.</summary>
public sealed record PaperList(IReadOnlyList<Paper> Papers, int Total, ListRequest Request)
{
    public bool HasMore => (Request.Page + 1) * Request.Limit < Total;

    /// <summary>
    /// Newest first: by first arXiv version (papers without one last), then id, so pages never overlap. Every discovery
    /// list orders this way, whatever decided its papers. The page's ids come first, from the columns the covering
    /// indexes of migration 0010 hold, and only those papers are read whole.
    /// </summary>
    public static async Task<PaperList> NewestFirstAsync(AppDb db, IQueryable<Paper> papers, ListRequest request, CancellationToken ct)
    {
        var total = await papers.CountAsync(ct);
        var ids = await papers.OrderByDescending(p => p.PublishedAt).ThenByDescending(p => p.Id)
            .Skip(request.Page * request.Limit).Take(request.Limit).Select(p => p.Id).ToListAsync(ct);
        var rows = await db.Papers.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        return new PaperList(ids.Where(rows.ContainsKey).Select(id => rows[id]).ToList(), total, request);
    }
}
