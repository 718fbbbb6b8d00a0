using System.Text.Json;
using System.Xml.Linq;
using DailyPapers.Accounts;
using DailyPapers.Comments;
using DailyPapers.Data;
using DailyPapers.Feed;
using DailyPapers.Ingest;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DailyPapers.Submissions;

public enum SubmitResult { Added, Invalid, NotFound, Refused, Unavailable }

/// <summary>Fetches one paper's metadata from arXiv's API (Atom), for submissions of papers not here yet.</summary>
public sealed class ArxivClient(HttpClient http, IOptions<AppOptions> options)
{
    public async Task<IngestRecord?> FetchAsync(string id, CancellationToken ct)
    {
        var url = $"{options.Value.Submissions.ArxivApiUrl}?id_list={Uri.EscapeDataString(id)}&max_results=1";
        using var response = await http.GetAsync(url, ct);
        response.EnsureSuccessStatusCode();
        var doc = XDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return AtomFormat.Read(doc, url).FirstOrDefault(r => r.Paper is not null);
    }
}

/// <summary>
/// Submit a paper by arXiv id or URL: from the database if known, else from arXiv's API through the importer (the
/// same merge rules as any import); then the rules; then the day's entry, the submission and the optional comment,
/// in one transaction.
/// </summary>
public sealed class SubmissionService(AppDb db, Importer importer, ArxivClient arxiv, CommentService comments, IOptions<AppOptions> options, TimeProvider clock)
{
    public async Task<(SubmitResult Result, string Message, string? PaperId)> SubmitAsync(User user, string? input, string? comment, CancellationToken ct = default)
    {
        if (!SubmissionRules.TryId(input, out var id)) return (SubmitResult.Invalid, "give an arXiv id (2405.15738) or an arxiv.org link", null);
        if (comment is not null && !CommentService.TryBody(comment, out _, out var why)) return (SubmitResult.Invalid, "comment: " + why, null);
        var now = clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(now);
        if (!await db.Papers.AnyAsync(p => p.Id == id, ct))
        {
            // Hidden by the moderators: gone for readers, and not to be put back on a list by a submission.
            if (await db.PapersIncludingHidden.AnyAsync(p => p.Id == id, ct)) return (SubmitResult.NotFound, $"no paper {id}", null);
            var fetched = await FetchAsync(id, ct);
            if (fetched.Result != SubmitResult.Added) return (fetched.Result, fetched.Message, null);
        }
        var published = await db.Papers.Where(p => p.Id == id).Select(p => p.PublishedAt).SingleAsync(ct);
        var mine = await db.Submissions.CountAsync(s => s.UserId == user.Id && s.Date == today, ct);
        var already = await db.DailyEntries.AnyAsync(e => e.PaperId == id && e.Date == today, ct);
        if (SubmissionRules.Refusal(options.Value.Submissions, now, published, mine, already) is { } refusal) return (SubmitResult.Refused, refusal, id);
        await AddAsync(user, id, today, now, comment, ct);
        return (SubmitResult.Added, $"{id} is on the list of {today:yyyy-MM-dd}", id);
    }

    async Task<(SubmitResult Result, string Message)> FetchAsync(string id, CancellationToken ct)
    {
        IngestRecord? record;
        try { record = await arxiv.FetchAsync(id, ct); }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Xml.XmlException)
        {
            return (SubmitResult.Unavailable, "arXiv could not be reached; try again later");
        }
        if (record?.Paper?.Id != id) return (SubmitResult.NotFound, $"arXiv has no paper {id}");
        await importer.ImportAsync([record with { Entries = [] }], ct: ct);
        return (SubmitResult.Added, "");
    }

    async Task AddAsync(User user, string id, DateOnly today, DateTime now, string? comment, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Hidden papers' entries too: their places are taken, and a restored paper must not tie with a new one.
        var position = await db.DailyEntriesIncludingHidden.Where(e => e.Date == today).Select(e => (int?)e.Position).MaxAsync(ct) ?? -1;
        db.DailyEntries.Add(new DailyEntry
        {
            Date = today, PaperId = id, PublishedAt = now, Position = position + 1,
            // Hugging Face's submittedBy keys and kinds: a client reading "user" expects a user name, never our row id.
            SubmittedByJson = JsonSerializer.Serialize(new { fullname = user.Name, name = user.Name, type = "user" }),
        });
        var submission = new Submission { PaperId = id, Date = today, UserId = user.Id, CreatedAt = now };
        db.Submissions.Add(submission);
        await db.SaveChangesAsync(ct);
        // A paper featured before keeps that day as the start of its trending clock: submitting it again must not
        // make it look new.
        await db.Papers.Where(p => p.Id == id && p.SubmittedOnDailyAt == null && !db.DailyEntries.Any(e => e.PaperId == id && e.Date < today))
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.SubmittedOnDailyAt, now), ct);
        await tx.CommitAsync(ct);
        if (comment is not null && (await comments.AddAsync(user, id, null, comment, ct)).Comment is { } c)
        {
            submission.CommentId = c.Id;
            await db.SaveChangesAsync(ct);
        }
    }
}
