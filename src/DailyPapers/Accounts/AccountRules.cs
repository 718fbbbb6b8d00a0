namespace DailyPapers.Accounts;

/// <summary>What a sign-up must hold. Pure, so the form and the CLI refuse the same things the same way.</summary>
public static class AccountRules
{
    public const int MinPassword = 10;
    public const int MaxPassword = 256;
    public const int MaxName = 50;
    /// <summary>Failed sign-ins in a row before the account is locked, and for how long.</summary>
    public const int MaxFailedLogins = 5;
    public static readonly TimeSpan Lockout = TimeSpan.FromMinutes(15);

    public static bool TryPassword(string? password, out string error)
    {
        error = password is null || password.Length < MinPassword ? $"the password needs at least {MinPassword} characters"
            : password.Length > MaxPassword ? $"the password may have at most {MaxPassword} characters"
            : "";
        return error.Length == 0;
    }

    public static bool TryName(string? raw, out string name, out string error)
    {
        name = Ingest.Text.Squash(raw) ?? "";
        error = name.Length == 0 ? "a display name is required"
            : name.Length > MaxName ? $"the display name may have at most {MaxName} characters"
            : name.Any(char.IsControl) ? "the display name must not contain control characters"
            : "";
        return error.Length == 0;
    }

    /// <summary>After a failed sign-in: locked for a while once the failures in a row reach the limit.</summary>
    public static (int Failed, DateTime? LockedUntil) AfterFailure(int failedBefore, DateTime now) =>
        failedBefore + 1 >= MaxFailedLogins ? (0, now + Lockout) : (failedBefore + 1, null);
}
