using System.Globalization;
using System.Net;
using System.Xml;
using System.Xml.Linq;
using DailyPapers.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DailyPapers.Ingest;

/// <summary>Waits; a delegate so tests can record the pauses instead of sitting through them.</summary>
public delegate Task Sleep(TimeSpan delay, CancellationToken ct);

public sealed class HarvestException(string message) : Exception(message);

public sealed record HarvestRequest(IReadOnlyList<string> Categories, DateOnly? From, DateOnly? Until, bool DryRun);

public sealed record HarvestReport(int Requests, int Deleted, int Skipped, ImportCounts Counts);

/// <summary>
/// Harvests arXiv over OAI-PMH, one set at a time, page by page through resumption tokens. Each page is imported and
/// the token saved before the next request, so a killed harvest resumes where it stopped. Polite: a pause between
/// requests, Retry-After honoured on 503 and 429, a bounded number of retries.
/// </summary>
public sealed class Harvester(HttpClient http, AppDb db, Importer importer, IOptions<AppOptions> options, Sleep sleep, TimeProvider clock)
{
    HarvestOptions Settings => options.Value.Harvest;
    int requests;

    public async Task<HarvestReport> HarvestAsync(HarvestRequest request, Action<string>? say = null, CancellationToken ct = default)
    {
        var counts = new ImportCounts();
        var (deleted, skipped) = (0, 0);
        foreach (var set in request.Categories.Select(c => ArxivSets.TrySetFor(c, out var s) ? s : throw new HarvestException($"unknown arXiv category '{c}'")).Distinct())
        {
            var (d, s) = await HarvestSetAsync(set, request, counts, say, ct);
            (deleted, skipped) = (deleted + d, skipped + s);
        }
        return new HarvestReport(requests, deleted, skipped, counts);
    }

    async Task<(int Deleted, int Skipped)> HarvestSetAsync(string set, HarvestRequest request, ImportCounts counts, Action<string>? say, CancellationToken ct)
    {
        var state = await db.HarvestStates.AsNoTracking().FirstOrDefaultAsync(h => h.SetSpec == set, ct) ?? new HarvestState { SetSpec = set };
        // An unfinished list is resumed where it stopped, unless --from asks for another list.
        var unfinished = state.ResumptionToken is not null ? state.TokenFrom : null;
        var from = request.From ?? unfinished ?? state.LastDatestamp ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(-Settings.FirstRunDays);
        var token = unfinished == from ? state.ResumptionToken : null;
        var (deleted, skipped) = (0, 0);
        DateOnly? newest = null;
        while (true)
        {
            var url = token is null ? FirstUrl(set, from, request.Until) : $"{Settings.BaseUrl}?verb=ListRecords&resumptionToken={Uri.EscapeDataString(token)}";
            var page = await FetchPageAsync(url, ct);
            if (page.ErrorCode == "badResumptionToken" && token is not null) { token = null; continue; }
            if (page.ErrorCode is not null and not "noRecordsMatch")
                throw new HarvestException($"{url}: OAI-PMH error {page.ErrorCode}: {page.ErrorMessage}");
            var wanted = page.Records.Where(r => r.Paper is null || ArxivSets.Wanted(r.Paper.Categories, request.Categories)).ToList();
            (deleted, skipped) = (deleted + page.Deleted, skipped + page.Records.Count - wanted.Count);
            counts.Add(await importer.ImportAsync(wanted, r => say?.Invoke($"rejected {r.Location}: {r.Error}"), request.DryRun, ct: ct));
            newest = Max(newest, page.NewestDatestamp);
            token = page.ResumptionToken;
            say?.Invoke($"{set}: {page.Records.Count} records on this page, {counts}");
            if (!request.DryRun) await SaveAsync(set, token, from, token is null ? newest ?? from : null, ct);
            if (token is null) return (deleted, skipped);
        }
    }

    string FirstUrl(string set, DateOnly from, DateOnly? until) =>
        $"{Settings.BaseUrl}?verb=ListRecords&metadataPrefix={Settings.MetadataPrefix}&set={Uri.EscapeDataString(set)}&from={from:yyyy-MM-dd}" +
        (until is { } u ? $"&until={u:yyyy-MM-dd}" : "");

    async Task<OaiPage> FetchPageAsync(string url, CancellationToken ct)
    {
        var xml = await FetchAsync(url, ct);
        try { return OaiFormat.Read(XDocument.Parse(xml), url); }
        catch (XmlException ex) { throw new HarvestException($"{url}: not XML: {ex.Message}"); }
    }

    async Task<string> FetchAsync(string url, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (requests++ > 0) await sleep(TimeSpan.FromSeconds(Settings.DelaySeconds), ct);
            TimeSpan wait;
            try
            {
                using var response = await http.GetAsync(url, ct);
                if (response.IsSuccessStatusCode) return await response.Content.ReadAsStringAsync(ct);
                if (response.StatusCode is not (HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests))
                    throw new HarvestException($"{url}: HTTP {(int)response.StatusCode}");
                wait = RetryAfter(response) ?? Backoff(attempt);
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !ct.IsCancellationRequested))
            {
                // Network errors and timeouts are worth a retry; after the last one, say what failed.
                if (attempt >= Settings.MaxRetries) throw new HarvestException($"{url}: {ex.Message}");
                wait = Backoff(attempt);
            }
            if (attempt >= Settings.MaxRetries) throw new HarvestException($"{url}: still refused after {attempt + 1} tries");
            await sleep(wait, ct);
        }
    }

    TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } at ? at - clock.GetUtcNow() : null);
        if (wait is null) return null;
        var capped = Math.Clamp(wait.Value.TotalSeconds, 0, Settings.MaxRetryAfterSeconds);
        return TimeSpan.FromSeconds(capped);
    }

    static TimeSpan Backoff(int attempt) => TimeSpan.FromSeconds(Math.Min(300, 5 * Math.Pow(2, attempt)));

    /// <param name="completed">Newest datestamp when the list is finished; null while it goes on.</param>
    async Task SaveAsync(string set, string? token, DateOnly from, DateOnly? completed, CancellationToken ct)
    {
        // The importer clears the change tracker after each batch, so look the row up afresh.
        var state = await db.HarvestStates.FindAsync([set], ct);
        if (state is null) db.HarvestStates.Add(state = new HarvestState { SetSpec = set });
        state.ResumptionToken = token;
        state.TokenFrom = token is null ? null : from;
        if (completed is not null) state.LastDatestamp = completed;
        state.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    static DateOnly? Max(DateOnly? a, DateOnly? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
