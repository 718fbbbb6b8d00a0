using DailyPapers.Data;
using DailyPapers.Ingest;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DailyPapers.Media;

/// <summary>What one run did, or for a dry run would do.</summary>
public sealed class MediaReport
{
    public int ThumbnailsMissing { get; set; }
    public int RemoteMissing { get; set; }
    public int Rendered { get; set; }
    public int Fetched { get; set; }
    public int Failed { get; set; }
    public int TooLarge { get; set; }
    /// <summary>Why thumbnails were not made at all (pdftoppm missing).</summary>
    public string? Skipped { get; set; }
    /// <summary>Why thumbnails stopped early (the PDF host refused or was unreachable): the next run goes on.</summary>
    public string? Stopped { get; set; }
    /// <summary>A batch was full: more is waiting.</summary>
    public bool More { get; set; }

    public void Count(MediaItem item)
    {
        if (item.Status == MediaItem.Failed) Failed++;
        else if (item.Status == MediaItem.TooLarge) TooLarge++;
        else if (item.Kind == MediaKind.Thumbnail) Rendered++;
        else Fetched++;
    }

    public override string ToString() => $"{Rendered} thumbnails rendered, {Fetched} remote files stored, {Failed} failed, {TooLarge} too large" +
                                         (Skipped is null ? "" : $"; thumbnails skipped: {Skipped}") + (Stopped is null ? "" : $"; stopped: {Stopped}");
}

/// <summary>
/// One run of media work, the same for the server's MediaJob and the `media` command: up to Media:BatchSize thumbnails
/// (newest papers first, a pause of Media:DelaySeconds between PDF requests) when Media:Thumbnails is on, and up to
/// Media:BatchSize remote files (newest entries first) when Media:FetchRemote is on. Each outcome is a row in media,
/// so a run resumes where the last stopped; only an unreachable or refusing PDF host leaves a paper for next time.
/// </summary>
public sealed class MediaWork(AppDb db, PdfThumbnails pdfs, RemoteMedia remote, Pdftoppm pdftoppm, IOptions<AppOptions> options, Sleep sleep, TimeProvider clock)
{
    MediaOptions Settings => options.Value.Media;

    public async Task<MediaReport> RunAsync(bool dryRun, Action<string>? say = null, CancellationToken ct = default)
    {
        var report = new MediaReport();
        if (dryRun)
        {
            report.ThumbnailsMissing = await MissingThumbnails().CountAsync(ct);
            report.RemoteMissing = (await MissingRemoteAsync(ct)).Count;
            if (Settings.Thumbnails && pdftoppm.Find() is null) report.Skipped = $"pdftoppm not found ({Settings.PdftoppmPath})";
            return report;
        }
        if (Settings.Thumbnails) await ThumbnailsAsync(report, say, ct);
        if (Settings.FetchRemote) await RemoteAsync(report, say, ct);
        return report;
    }

    /// <summary>Papers readers can see that have no thumbnail row yet, the newest first. The key spelled out as MediaUrls.ThumbnailKey does: SQL cannot call it.</summary>
    IQueryable<string> MissingThumbnails() => db.Papers.Where(p => !db.Media.Any(m => m.Key == "thumbnail:" + p.Id))
        .OrderByDescending(p => p.SubmittedOnDailyAt ?? p.PublishedAt).ThenByDescending(p => p.Id).Select(p => p.Id);

    async Task ThumbnailsAsync(MediaReport report, Action<string>? say, CancellationToken ct)
    {
        if (pdftoppm.Find() is not { } executable)
        {
            report.Skipped = $"pdftoppm not found ({Settings.PdftoppmPath})";
            return; // nothing recorded: a later run with pdftoppm installed makes them
        }
        var ids = await MissingThumbnails().Take(Settings.BatchSize).ToListAsync(ct);
        for (var i = 0; i < ids.Count; i++)
        {
            if (i > 0) await sleep(TimeSpan.FromSeconds(Settings.DelaySeconds), ct);
            var result = await pdfs.RenderAsync(executable, ids[i], clock.GetUtcNow().UtcDateTime, ct);
            if (result.Item is not { } item)
            {
                report.Stopped = result.Later;
                return;
            }
            await SaveAsync(item, report, say, ct);
        }
        report.More |= ids.Count == Settings.BatchSize;
    }

    async Task RemoteAsync(MediaReport report, Action<string>? say, CancellationToken ct)
    {
        var sources = (await MissingRemoteAsync(ct)).Take(Settings.BatchSize).ToList();
        foreach (var source in sources)
            await SaveAsync(await remote.FetchAsync(source, clock.GetUtcNow().UtcDateTime, ct), report, say, ct);
        report.More |= sources.Count == Settings.BatchSize;
    }

    /// <summary>Remote files named by what readers can see, without a row yet: the newest entries first, then papers' own.</summary>
    async Task<List<MediaSource>> MissingRemoteAsync(CancellationToken ct)
    {
        var known = (await db.Media.Select(m => m.Key).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var entries = await db.DailyEntries.AsNoTracking().OrderByDescending(e => e.Date).ThenBy(e => e.Position)
            .Select(e => new { e.Thumbnail, e.SubmittedByJson, e.OrganizationJson, e.MediaUrlsJson }).ToListAsync(ct);
        var papers = await db.Papers.AsNoTracking().OrderByDescending(p => p.SubmittedOnDailyAt ?? p.PublishedAt)
            .Select(p => new { p.SubmittedOnDailyByJson, p.OrganizationJson, p.MediaUrlsJson }).ToListAsync(ct);
        return entries.SelectMany(e => MediaSource.In(e.Thumbnail, e.SubmittedByJson, e.OrganizationJson, e.MediaUrlsJson))
            .Concat(papers.SelectMany(p => MediaSource.In(null, p.SubmittedOnDailyByJson, p.OrganizationJson, p.MediaUrlsJson)))
            .DistinctBy(s => s.Key).Where(s => !known.Contains(s.Key)).ToList();
    }

    async Task SaveAsync(MediaItem item, MediaReport report, Action<string>? say, CancellationToken ct)
    {
        var existing = await db.Media.FindAsync([item.Key], ct);
        if (existing is null) db.Media.Add(item);
        else db.Entry(existing).CurrentValues.SetValues(item);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { } // another process (the server's job and the CLI at once) recorded it first: theirs stands
        db.ChangeTracker.Clear();
        report.Count(item);
        say?.Invoke($"{item.Kind} {item.SourceUrl}: {item.Status}{(item.Error is null ? "" : ": " + item.Error)}");
    }
}
