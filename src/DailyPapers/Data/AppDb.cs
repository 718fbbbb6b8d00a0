using System.Text;
using DailyPapers.Feed;
using DailyPapers.Ingest;
using DailyPapers.Papers;
using DailyPapers.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace DailyPapers.Data;

public sealed class AppDb(DbContextOptions<AppDb> options) : DbContext(options)
{
    public DbSet<Paper> Papers => Set<Paper>();
    public DbSet<DailyEntry> DailyEntries => Set<DailyEntry>();
    public DbSet<HarvestState> HarvestStates => Set<HarvestState>();
    public DbSet<PaperVector> PaperVectors => Set<PaperVector>();
    public DbSet<Digest.Subscription> Subscriptions => Set<Digest.Subscription>();
    public DbSet<Digest.OutboxMessage> Outbox => Set<Digest.OutboxMessage>();
    public DbSet<Digest.DigestRun> DigestRuns => Set<Digest.DigestRun>();
    public DbSet<Accounts.User> Users => Set<Accounts.User>();
    public DbSet<Accounts.ApiToken> ApiTokens => Set<Accounts.ApiToken>();
    public DbSet<Votes.Vote> Votes => Set<Votes.Vote>();
    public DbSet<Comments.Comment> Comments => Set<Comments.Comment>();
    public DbSet<Submissions.Submission> Submissions => Set<Submissions.Submission>();
    public DbSet<Collections.Collection> Collections => Set<Collections.Collection>();
    public DbSet<Collections.CollectionItem> CollectionItems => Set<Collections.CollectionItem>();
    public DbSet<Follows.Follow> Follows => Set<Follows.Follow>();
    public DbSet<Claims.AuthorClaim> AuthorClaims => Set<Claims.AuthorClaim>();
    public DbSet<Comments.Report> Reports => Set<Comments.Report>();
    public DbSet<Accounts.Session> Sessions => Set<Accounts.Session>();
    public DbSet<Notifications.Notification> Notifications => Set<Notifications.Notification>();
    public DbSet<Media.MediaItem> Media => Set<Media.MediaItem>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<JobLease> JobLeases => Set<JobLease>();

    /// <summary>
    /// The name of the one moderation rule: a paper hidden by a moderator, and its daily entries, are gone from every
    /// query through Papers and DailyEntries. Pages, the API, feeds, search results, trending, digests and For you
    /// read through those sets, so none of them needs a check of its own. Work that must see everything (import,
    /// export, merge, jobs, moderators restoring a paper) reads through the sets below, by name.
    /// </summary>
    public const string HiddenFilter = "Hidden";

    public IQueryable<Paper> PapersIncludingHidden => Papers.IgnoreQueryFilters([HiddenFilter]);
    public IQueryable<DailyEntry> DailyEntriesIncludingHidden => DailyEntries.IgnoreQueryFilters([HiddenFilter]);

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<Paper>().ToTable("papers").HasKey(p => p.Id);
        b.Entity<Paper>().Ignore(p => p.AbsUrl).Ignore(p => p.PdfUrl).Ignore(p => p.CategoryList).Ignore(p => p.Counts).Ignore(p => p.DisplayTitle).Ignore(p => p.AuthorList);
        b.Entity<Paper>().HasQueryFilter(HiddenFilter, p => p.HiddenAt == null);
        b.Entity<DailyEntry>().ToTable("daily_entries").HasKey(e => new { e.Date, e.PaperId });
        b.Entity<DailyEntry>().HasOne<Paper>().WithMany().HasForeignKey(e => e.PaperId);
        b.Entity<DailyEntry>().HasQueryFilter(HiddenFilter, e => Set<Paper>().IgnoreQueryFilters().Any(p => p.Id == e.PaperId && p.HiddenAt == null));
        b.Entity<HarvestState>().ToTable("harvest_state").HasKey(h => h.SetSpec);
        b.Entity<PaperVector>().ToTable("paper_vectors").HasKey(v => v.PaperId);
        b.Entity<Digest.Subscription>().ToTable("subscriptions").HasKey(s => s.Id);
        b.Entity<Digest.Subscription>().Ignore(s => s.Preferences);
        b.Entity<Digest.OutboxMessage>().ToTable("outbox").HasKey(m => m.Id);
        b.Entity<Digest.DigestRun>().ToTable("digest_runs").HasKey(r => new { r.Cadence, r.Period });
        b.Entity<Accounts.User>().ToTable("users").HasKey(u => u.Id);
        b.Entity<Accounts.User>().Ignore(u => u.IsModerator);
        b.Entity<Accounts.ApiToken>().ToTable("api_tokens").HasKey(t => t.Id);
        b.Entity<Votes.Vote>().ToTable("votes").HasKey(v => new { v.UserId, v.PaperId });
        b.Entity<Comments.Comment>().ToTable("comments").HasKey(c => c.Id);
        b.Entity<Comments.Comment>().Ignore(c => c.Visible);
        b.Entity<Submissions.Submission>().ToTable("submissions").HasKey(x => new { x.PaperId, x.Date });
        b.Entity<Collections.Collection>().ToTable("collections").HasKey(c => c.Id);
        b.Entity<Collections.CollectionItem>().ToTable("collection_items").HasKey(i => new { i.CollectionId, i.PaperId });
        b.Entity<Follows.Follow>().ToTable("follows").HasKey(f => new { f.UserId, f.Kind, f.Value });
        b.Entity<Claims.AuthorClaim>().ToTable("author_claims").HasKey(c => c.Id);
        b.Entity<Comments.Report>().ToTable("reports").HasKey(r => r.Id);
        b.Entity<Accounts.Session>().ToTable("sessions").HasKey(x => x.Id);
        b.Entity<Notifications.Notification>().ToTable("notifications").HasKey(n => n.Id);
        b.Entity<Media.MediaItem>().ToTable("media").HasKey(m => m.Key);
        b.Entity<DataProtectionKey>().ToTable("data_protection_keys").HasKey(k => k.Name);
        b.Entity<JobLease>().ToTable("job_leases").HasKey(l => l.Name);
        // The schema is written by hand in Data/Migrations; columns are snake_case there.
        foreach (var property in b.Model.GetEntityTypes().SelectMany(t => t.GetProperties()))
            property.SetColumnName(SnakeCase(property.Name));
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder c)
    {
        // Every stored time is UTC; SQLite keeps no kind, so say it on the way out.
        c.Properties<DateTime>().HaveConversion<UtcConverter>();
    }

    /// <summary>
    /// A time as the hub stores it: UTC, to the microsecond. PostgreSQL keeps microseconds and SQLite's text would keep
    /// the clock's tenth of one, so without this a hub moved between engines (export, import) reads back other times,
    /// and the import's "same comment" check (author, paper, time) takes its own rows for conflicts. Applied both ways,
    /// so a SQLite file written before reads as PostgreSQL would hold it.
    /// </summary>
    public static DateTime ToMicroseconds(DateTime v) => new(v.Ticks - v.Ticks % TimeSpan.TicksPerMicrosecond, v.Kind);

    static string SnakeCase(string name)
    {
        var sb = new StringBuilder();
        foreach (var ch in name)
        {
            if (char.IsUpper(ch) && sb.Length > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(ch));
        }
        return sb.ToString();
    }

    sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        v => ToMicroseconds(v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime()),
        v => ToMicroseconds(DateTime.SpecifyKind(v, DateTimeKind.Utc)));
}
