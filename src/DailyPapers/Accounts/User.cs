namespace DailyPapers.Accounts;

public static class Roles
{
    public const string Admin = "admin";
    public const string Moderator = "moderator";
    public const string Member = "member";
    public static readonly string[] All = [Admin, Moderator, Member];
}

/// <summary>An account. The first one created is the admin.</summary>
public sealed class User
{
    public long Id { get; set; }
    public required string Email { get; set; }
    public required string Name { get; set; }
    public required string PasswordHash { get; set; }
    public required string Role { get; set; }
    public bool EmailConfirmed { get; set; }
    public required string SecurityStamp { get; set; }
    public int FailedLogins { get; set; }
    public DateTime? LockedUntil { get; set; }
    public DateTime? SuspendedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>Notifications also come by mail (through the outbox), not only on the notifications page.</summary>
    public bool NotifyByMail { get; set; }
    /// <summary>The last featured day already told about in "new papers from what you follow".</summary>
    public DateOnly? FollowsSeenUntil { get; set; }

    public bool IsModerator => Role is Roles.Admin or Roles.Moderator;
}

/// <summary>A personal API token; the secret itself is shown once and never stored.</summary>
public sealed class ApiToken
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public required string Name { get; set; }
    public required string Prefix { get; set; }
    public required string Hash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}
