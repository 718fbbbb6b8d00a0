using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using DailyPapers.Accounts;
using DailyPapers.Claims;
using DailyPapers.Collections;
using DailyPapers.Comments;
using DailyPapers.Data;
using DailyPapers.Digest;
using DailyPapers.Follows;
using DailyPapers.Notifications;
using DailyPapers.Papers;
using DailyPapers.Submissions;
using DailyPapers.Votes;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Ingest;

/// <summary>A row of the export besides papers, read from a line: its kind and the entity.</summary>
public sealed record ExportRow(RowKind Kind, object Value);

/// <summary>What a row refers to, which must be here (and not in conflict) before the row can be: user 3, paper 2405.15738…</summary>
public readonly record struct RowRef(string Kind, object Id)
{
    public override string ToString() => $"{Kind} {Id}";
}

/// <summary>
/// Every kind of row the export carries after the papers, in the order it writes them (each after what it refers
/// to), with the rules that merge a row into a database that already holds data: its key, what makes a stored row
/// with that key "the same thing" (else it is a conflict), the unique columns it could collide on, and what it
/// refers to. Sessions are left out on purpose: their ids are the secrets the cookies carry.
/// </summary>
public static class ExportRows
{
    /// <summary>
    /// The entities as they are stored, minus what is computed from other properties (no setter: User.IsModerator,
    /// Comment.Visible, Subscription.Preferences). Secrets are never stored, so none can leak from here: password
    /// hashes, token hashes and subscription nonces are what a restore needs to keep sign-ins and links working.
    /// </summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new StoredTimeConverter() },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { WithoutComputed } },
    };

    static void WithoutComputed(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object) return;
        foreach (var p in info.Properties.Where(p => p.Set is null).ToList()) info.Properties.Remove(p);
    }

    public static readonly IReadOnlyList<RowKind> All =
    [
        new RowKind<User>("user", "users", db => db.Users.OrderBy(u => u.Id), u => [u.Id],
            same: (a, b) => a.Email == b.Email, clash: (db, u) => db.Users.AnyAsync(x => x.Email == u.Email && x.Id != u.Id),
            check: u => !u.Email.Contains('@') ? "email is not an address" : !Roles.All.Contains(u.Role) ? $"role must be one of {string.Join(", ", Roles.All)}" : null),
        new RowKind<ApiToken>("token", "tokens", db => db.ApiTokens.OrderBy(t => t.Id), t => [t.Id], refs: t => [new("user", t.UserId)],
            same: (a, b) => a.UserId == b.UserId && a.Hash == b.Hash, clash: (db, t) => db.ApiTokens.AnyAsync(x => x.Hash == t.Hash && x.Id != t.Id)),
        new RowKind<Vote>("vote", "votes", db => db.Votes.OrderBy(v => v.UserId).ThenBy(v => v.PaperId), v => [v.UserId, v.PaperId],
            refs: v => [new("user", v.UserId), new("paper", v.PaperId)], counted: v => v.PaperId),
        // Parents before replies: a reply's id is always larger than its parent's.
        new RowKind<Comment>("comment", "comments", db => db.Comments.OrderBy(c => c.Id), c => [c.Id],
            refs: c => [new("paper", c.PaperId), new("user", c.UserId), .. Optional("comment", c.ParentId), .. Optional("user", c.HiddenBy)],
            same: (a, b) => a.PaperId == b.PaperId && a.UserId == b.UserId && a.CreatedAt == b.CreatedAt, counted: c => c.PaperId),
        new RowKind<Collection>("collection", "collections", db => db.Collections.OrderBy(c => c.Id), c => [c.Id], refs: c => [new("user", c.UserId)],
            same: (a, b) => a.UserId == b.UserId && a.CreatedAt == b.CreatedAt),
        new RowKind<CollectionItem>("collectionItem", "collection papers", db => db.CollectionItems.OrderBy(i => i.CollectionId).ThenBy(i => i.PaperId),
            i => [i.CollectionId, i.PaperId], refs: i => [new("collection", i.CollectionId), new("paper", i.PaperId)]),
        new RowKind<Follow>("follow", "follows", db => db.Follows.OrderBy(f => f.UserId).ThenBy(f => f.Kind).ThenBy(f => f.Value), f => [f.UserId, f.Kind, f.Value],
            refs: f => [new("user", f.UserId)], check: f => Follow.Kinds.Contains(f.Kind) ? null : $"kind must be one of {string.Join(", ", Follow.Kinds)}"),
        new RowKind<Subscription>("subscription", "subscriptions", db => db.Subscriptions.OrderBy(s => s.Id), s => [s.Id],
            same: (a, b) => a.Email == b.Email, clash: (db, s) => db.Subscriptions.AnyAsync(x => x.Email == s.Email && x.Id != s.Id),
            check: s => s.Status is SubscriptionStatus.Pending or SubscriptionStatus.Confirmed or SubscriptionStatus.Unsubscribed ? null : "status must be pending, confirmed or unsubscribed"),
        new RowKind<Report>("report", "reports", db => db.Reports.OrderBy(r => r.Id), r => [r.Id], refs: r => [new("user", r.UserId), .. Optional("user", r.ClosedBy)],
            same: (a, b) => a.UserId == b.UserId && a.Kind == b.Kind && a.Target == b.Target && a.CreatedAt == b.CreatedAt),
        new RowKind<AuthorClaim>("claim", "claims", db => db.AuthorClaims.OrderBy(c => c.Id), c => [c.Id],
            refs: c => [new("user", c.UserId), new("paper", c.PaperId), .. Optional("user", c.DecidedBy)],
            same: (a, b) => a.UserId == b.UserId && a.PaperId == b.PaperId,
            clash: (db, c) => db.AuthorClaims.AnyAsync(x => x.UserId == c.UserId && x.PaperId == c.PaperId && x.Id != c.Id)),
        new RowKind<Submission>("submission", "submissions", db => db.Submissions.OrderBy(s => s.PaperId).ThenBy(s => s.Date), s => [s.PaperId, s.Date],
            refs: s => [new("paper", s.PaperId), new("user", s.UserId), .. Optional("comment", s.CommentId)], same: (a, b) => a.UserId == b.UserId),
        new RowKind<Notification>("notification", "notifications", db => db.Notifications.OrderBy(n => n.Id), n => [n.Id], refs: n => [new("user", n.UserId)],
            same: (a, b) => a.UserId == b.UserId && a.Kind == b.Kind && a.CreatedAt == b.CreatedAt),
    ];

    public const string Prefix = "dailypapers.";

    static IEnumerable<RowRef> Optional(string kind, object? id) => id is null ? [] : [new RowRef(kind, id)];

    /// <summary>A typed line of the export other than a paper: known kinds are read, unknown ones refused by name.</summary>
    public static bool Matches(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String &&
        t.GetString()!.StartsWith(Prefix, StringComparison.Ordinal) && t.GetString() != ExportFormat.Type;

    public static IngestRecord Read(JsonElement e, string location)
    {
        var type = e.GetProperty("type").GetString()!;
        if (All.FirstOrDefault(k => k.Type == type) is not { } kind)
            return IngestRecord.Rejected(location, $"unknown export line type '{type}' (made by a newer release?)");
        try
        {
            if (!e.TryGetProperty(kind.Field, out var value) || value.ValueKind != JsonValueKind.Object) throw new BadRecordException($"no \"{kind.Field}\" object");
            return IngestRecord.OfRow(location, new ExportRow(kind, kind.Read(value)));
        }
        catch (Exception ex) when (ex is JsonException or BadRecordException or InvalidOperationException or FormatException)
        {
            return IngestRecord.Rejected(location, ex.Message);
        }
    }

    /// <summary>The key parts a row must have: positive ids, arXiv ids as stored (no version), non-empty text.</summary>
    internal static string? CheckKey(object[] key)
    {
        foreach (var part in key)
        {
            var bad = part switch
            {
                long n => n <= 0 ? $"id {n} is not positive" : null,
                string s when s.Length == 0 => "an empty key",
                _ => null,
            };
            if (bad is not null) return bad;
        }
        return null;
    }

    internal static string? CheckPaperId(object id) =>
        ArxivId.TryParse(id as string, out var parsed, out _) && parsed == (string)id ? null : $"'{id}' is not an arXiv id without version";
}
