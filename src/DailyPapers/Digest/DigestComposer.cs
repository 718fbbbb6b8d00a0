using System.Text.Json;
using DailyPapers.Data;
using DailyPapers.Feed;
using DailyPapers.Search;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Digest;

/// <summary>One subscriber's digest for a period, decided: which papers, how many matched the topics.</summary>
public sealed record ComposedDigest(long SubscriptionId, string Recipient, string Key, List<string> PaperIds, int Matched, int Picks = 0);

/// <summary>
/// Composing is deciding: for every confirmed subscriber of a cadence, which of the period's papers their digest
/// carries. The choice is stored in the outbox under the key digest:{subscription}:{period}, so composing again
/// (after a crash, or by hand) adds only the digests not yet there. Rendering and sending are the outbox's job.
/// </summary>
public sealed class DigestComposer(AppDb db, Embedder embedder, TimeProvider clock)
{
    const int Page = 5_000;

    /// <summary>The period's papers in trending order, through the same named query as the page, API and feeds.</summary>
    public async Task<DigestPicker> PickerAsync(Period period, CancellationToken ct = default)
    {
        var items = new List<FeedItem>();
        for (var page = 0; ; page++)
        {
            var result = await FeedQuery.DailyPapersAsync(db, new FeedRequest(period, FeedSort.Trending, page, FeedRequest.MaxLimit), ct);
            if (result is null) break;
            items.AddRange(result.Items);
            if (!result.HasMore) break;
        }
        // A paper featured on two days of a weekly period is listed twice there; a mail names it once.
        items = items.DistinctBy(i => i.Paper.Id).ToList();
        var ids = items.Select(i => i.Paper.Id).ToList();
        var model = embedder.ModelName;
        var vectors = await db.PaperVectors.AsNoTracking().Where(v => ids.Contains(v.PaperId) && v.Model == model)
            .ToDictionaryAsync(v => v.PaperId, v => Embeddings.FromBytes(v.Vector), ct);
        var candidates = items.Select(i => new Candidate(i.Paper.Id, i.Paper.DisplayTitle, i.Paper.Summary, i.Paper.AuthorNames,
            i.Paper.Categories, vectors.GetValueOrDefault(i.Paper.Id), Papers.Organization.Of(i.Paper, i.Entry)?.Name)).ToList();
        return new DigestPicker(candidates, embedder.Info.RelatedCosine);
    }

    public static string KeyOf(long subscription, Period period) => $"digest:{subscription}:{period.Query}";

    /// <summary>Every due digest of a cadence and period, streamed in pages; `only` limits it to one address.</summary>
    public async IAsyncEnumerable<List<ComposedDigest>> ComposeAsync(string cadence, Period period, DigestPicker picker, string? only = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        if (picker.Papers.Count == 0) yield break; // an empty period sends nothing
        var accounts = await AccountsAsync(cadence, ct);
        long after = 0;
        while (true)
        {
            var page = await db.Subscriptions.AsNoTracking()
                .Where(s => s.Id > after && s.Status == SubscriptionStatus.Confirmed && s.Cadence == cadence && s.Failure == null
                            && (only == null || s.Email == only))
                .OrderBy(s => s.Id).Take(Page)
                .Select(s => new { s.Id, s.Email, s.TopicsJson, s.TopicVector, s.Count }).ToListAsync(ct);
            if (page.Count == 0) yield break;
            after = page[^1].Id;
            var profiles = await ProfilesAsync(page.Where(s => accounts.ContainsKey(s.Email)).Select(s => (s.Email, accounts[s.Email])).ToList(), ct);
            // Picking is pure CPU work over the in-memory period: both cores share it.
            yield return page.AsParallel().AsOrdered().Select(s =>
            {
                var (ids, matched) = picker.Pick(Topics.FromJson(s.TopicsJson), s.TopicVector is null ? null : Embeddings.FromBytes(s.TopicVector), s.Count);
                var digest = new ComposedDigest(s.Id, s.Email, KeyOf(s.Id, period), ids, matched);
                return profiles.TryGetValue(s.Email, out var profile) ? WithPicks(digest, picker, profile, s.Count) : digest;
            }).ToList();
        }
    }

    /// <summary>
    /// Subscribers of a cadence who also have an account (same address): they get personal picks from their follows
    /// and likes. One query per run; most subscribers have no account.
    /// </summary>
    Task<Dictionary<string, long>> AccountsAsync(string cadence, CancellationToken ct) =>
        db.Users.AsNoTracking()
            .Where(u => db.Subscriptions.Any(s => s.Email == u.Email && s.Cadence == cadence && s.Status == SubscriptionStatus.Confirmed))
            .ToDictionaryAsync(u => u.Email, u => u.Id, ct);

    async Task<Dictionary<string, Follows.Profile>> ProfilesAsync(List<(string Email, long UserId)> accounts, CancellationToken ct)
    {
        var profiles = new Dictionary<string, Follows.Profile>();
        foreach (var (email, id) in accounts)
            if (await Follows.Profile.LoadAsync(db, embedder, id, ct) is { IsEmpty: false } p) profiles[email] = p;
        return profiles;
    }

    /// <summary>
    /// Up to three personal picks after the topic matches, in place of the day's top papers at the end: papers the
    /// reader's follows and likes point to that the digest does not already carry and the reader has not seen.
    /// </summary>
    public static ComposedDigest WithPicks(ComposedDigest digest, DigestPicker picker, Follows.Profile profile, int count)
    {
        const int MaxPicks = 3;
        var matched = digest.PaperIds.Take(digest.Matched).ToHashSet();
        var (ranked, hits) = picker.Pick(profile.Topics, profile.Taste, picker.Papers.Count);
        var picks = ranked.Take(hits).Where(id => !matched.Contains(id) && !profile.Liked.Contains(id)).Take(Math.Min(MaxPicks, count - matched.Count)).ToList();
        var rest = digest.PaperIds.Skip(digest.Matched).Where(id => !picks.Contains(id));
        var ids = digest.PaperIds.Take(digest.Matched).Concat(picks).Concat(rest).Take(count).ToList();
        return digest with { PaperIds = ids, Picks = picks.Count };
    }

    /// <summary>
    /// Composes and stores a cadence's digests for a period, then records the run so the scheduler moves on.
    /// Restartable: after a crash, the digests already stored are skipped by their keys.
    /// </summary>
    public async Task<int> ComposeAndStoreAsync(string cadence, Period period, string? only = null, CancellationToken ct = default)
    {
        var picker = await PickerAsync(period, ct);
        var stored = 0;
        await foreach (var page in ComposeAsync(cadence, period, picker, only, ct)) stored += await StoreAsync(page, period, ct);
        if (only is null)
        {
            var (c, p) = (cadence, period.Query);
            if (!await db.DigestRuns.AnyAsync(r => r.Cadence == c && r.Period == p, ct))
            {
                db.DigestRuns.Add(new DigestRun { Cadence = cadence, Period = period.Query, ComposedAt = clock.GetUtcNow().UtcDateTime, Messages = stored });
                await db.SaveChangesAsync(ct);
            }
        }
        return stored;
    }

    public Task<bool> ComposedAsync(string cadence, Period period, CancellationToken ct = default)
    {
        var p = period.Query;
        return db.DigestRuns.AnyAsync(r => r.Cadence == cadence && r.Period == p, ct);
    }

    /// <summary>Stores composed digests; ones whose key is already in the outbox are left as they are.</summary>
    public async Task<int> StoreAsync(IReadOnlyList<ComposedDigest> digests, Period period, CancellationToken ct = default)
    {
        var now = AppDb.ToMicroseconds(clock.GetUtcNow().UtcDateTime);
        var query = period.Query;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var stored = 0;
        // Portable: INSERT … ON CONFLICT DO NOTHING means the same in SQLite and PostgreSQL. A raw statement's values skip
        // the model's converters, so the time is cut to the microsecond here, as the model stores every time.
        foreach (var d in digests)
            stored += await db.Database.ExecuteSqlAsync($"""
                INSERT INTO outbox (key, kind, subscription_id, recipient, period, paper_ids_json, matched, picks, status, attempts, next_attempt_at, created_at)
                VALUES ({d.Key}, 'digest', {d.SubscriptionId}, {d.Recipient}, {query}, {JsonSerializer.Serialize(d.PaperIds)}, {d.Matched}, {d.Picks}, 'pending', 0, {now}, {now})
                ON CONFLICT (key) DO NOTHING
                """, ct);
        await tx.CommitAsync(ct);
        return stored;
    }

}
