using DailyPapers.Data;
using DailyPapers.Search;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Digest;

public enum LinkResult { Done, AlreadyDone, Invalid, Gone }

/// <summary>
/// Subscribe, confirm, change preferences, unsubscribe. Subscribing answers the same whether or not the address is
/// known, and changes nothing a stranger could see or use until the link in the mail is followed.
/// </summary>
public sealed class Subscriptions(AppDb db, DigestLinks links, Embedder embedder, OutboxSignal signal, TimeProvider clock)
{
    /// <summary>
    /// Confirmation mails to one address in a day; more requests are answered the same but send nothing, so the form
    /// cannot be used to flood someone's inbox. The last link sent stays valid and confirms the latest preferences.
    /// </summary>
    public const int ConfirmationsPerDay = 3;

    public async Task SubscribeAsync(string email, Preferences preferences, CancellationToken ct = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await SubscribeOnceAsync(email, preferences, ct);
                signal.Wake();
                return;
            }
            // Two requests for a new address at once: the second finds the first's row on its retry.
            catch (DbUpdateException) when (attempt == 0)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    async Task SubscribeOnceAsync(string email, Preferences preferences, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var subscription = await db.Subscriptions.SingleOrDefaultAsync(s => s.Email == email, ct);
        if (subscription is null)
        {
            subscription = new Subscription
            {
                Email = email, Status = SubscriptionStatus.Pending, Cadence = preferences.Cadence,
                TopicsJson = preferences.Topics.ToJson(), Count = preferences.Count, CreatedAt = now,
            };
            db.Subscriptions.Add(subscription);
        }
        subscription.PendingJson = preferences.ToJson();
        var id = subscription.Id;
        var dayAgo = now.AddDays(-1);
        if (subscription.ConfirmNonce is not null && await db.Outbox.CountAsync(m => m.SubscriptionId == id && m.Kind == "confirm" && m.CreatedAt > dayAgo, ct) >= ConfirmationsPerDay)
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return;
        }
        subscription.ConfirmNonce = DigestLinks.NewNonce();
        await db.SaveChangesAsync(ct);
        db.Outbox.Add(new OutboxMessage
        {
            Key = $"confirm:{subscription.Id}:{subscription.ConfirmNonce}", Kind = "confirm", SubscriptionId = subscription.Id,
            Recipient = email, Status = OutboxStatus.Pending, NextAttemptAt = now, CreatedAt = now,
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    public async Task<(LinkResult Result, Subscription? Subscription)> ConfirmAsync(string? token, CancellationToken ct = default)
    {
        if (!links.TryConfirm(token, out var id, out var nonce)) return (LinkResult.Invalid, null);
        var subscription = await db.Subscriptions.FindAsync([id], ct);
        if (subscription is null) return (LinkResult.Gone, null);
        if (subscription.ConfirmNonce != nonce)
            return (subscription.Status == SubscriptionStatus.Confirmed && subscription.ConfirmNonce is null ? LinkResult.AlreadyDone : LinkResult.Invalid, subscription);
        var pending = PendingPreferences.Parse(subscription.PendingJson) ?? subscription.Preferences;
        Apply(subscription, pending);
        subscription.Status = SubscriptionStatus.Confirmed;
        subscription.ConfirmedAt = clock.GetUtcNow().UtcDateTime;
        subscription.UnsubscribedAt = null;
        (subscription.PendingJson, subscription.ConfirmNonce, subscription.Failure, subscription.FailedAt) = (null, null, null, null);
        await db.SaveChangesAsync(ct);
        return (LinkResult.Done, subscription);
    }

    public async Task<Subscription?> FindAsync(string? manageToken, CancellationToken ct = default) =>
        links.TryManage(manageToken, out var id) ? await db.Subscriptions.FindAsync([id], ct) : null;

    /// <summary>Preferences changed from the signed link in a mail: the link proves the address, so no new confirmation.</summary>
    public async Task UpdateAsync(Subscription subscription, Preferences preferences, CancellationToken ct = default)
    {
        Apply(subscription, preferences);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Takes effect at once: digests composed but not yet sent are cancelled too.</summary>
    public async Task<LinkResult> UnsubscribeAsync(Subscription subscription, CancellationToken ct = default)
    {
        if (subscription.Status == SubscriptionStatus.Unsubscribed) return LinkResult.AlreadyDone;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        subscription.Status = SubscriptionStatus.Unsubscribed;
        subscription.UnsubscribedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        var id = subscription.Id;
        await db.Outbox.Where(m => m.SubscriptionId == id && m.Kind == "digest" && m.Status == OutboxStatus.Pending)
            .ExecuteUpdateAsync(u => u.SetProperty(m => m.Status, OutboxStatus.Cancelled), ct);
        await tx.CommitAsync(ct);
        return LinkResult.Done;
    }

    void Apply(Subscription subscription, Preferences preferences)
    {
        subscription.Cadence = preferences.Cadence;
        subscription.TopicsJson = preferences.Topics.ToJson();
        subscription.Count = preferences.Count;
        subscription.TopicVector = TopicVector(preferences.Topics);
    }

    // Embedded once here, not per digest: composing for 100,000 subscribers must not run the model 100,000 times.
    byte[]? TopicVector(Topics topics)
    {
        if (topics.SemanticText is not { } text || !embedder.Available) return null;
        try { return Embeddings.ToBytes(embedder.EmbedQuery(text)); }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException) { return null; }
    }
}

static class PendingPreferences
{
    sealed record Stored(string Cadence, Topics Topics, int Count);

    public static Preferences? Parse(string? json) =>
        json is null ? null : System.Text.Json.JsonSerializer.Deserialize<Stored>(json, Options) is { } s ? new Preferences(s.Cadence, Topics.Normalize(s.Topics), s.Count) : null;

    static readonly System.Text.Json.JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };
}

/// <summary>Wakes the sender when a mail is queued, so a confirmation goes out in a moment, not at the next minute.</summary>
public sealed class OutboxSignal
{
    readonly SemaphoreSlim semaphore = new(0, 1);

    public void Wake()
    {
        if (semaphore.CurrentCount == 0)
        {
            try { semaphore.Release(); } catch (SemaphoreFullException) { }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => semaphore.WaitAsync(timeout, ct);
}
