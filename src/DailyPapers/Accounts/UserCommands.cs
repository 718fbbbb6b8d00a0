using DailyPapers.Data;
using DailyPapers.Digest;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Accounts;

/// <summary>
/// `user add EMAIL [--name NAME] [--role ROLE]`, `user role EMAIL ROLE`, `user suspend|restore EMAIL`, `user list`.
/// No password ever passes the command line: `add` prints a link to choose one, valid for 2 hours.
/// </summary>
public static class UserCommands
{
    public static async Task<int> RunAsync(WebApplication app, CommandLine cli)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await services.GetRequiredService<DatabaseStartup>().EnsureSchemaAsync(migrate: false);
        var db = services.GetRequiredService<AppDb>();
        var args = cli.Arguments;
        return args[0] switch
        {
            "add" when args.Count == 2 => await AddAsync(services, args[1], cli.Option("--name"), cli.Option("--role") ?? (cli.Flag("--admin") ? Roles.Admin : null)),
            "role" when args.Count == 3 => await SetAsync(db, args[1], u => u.Role = args[2], Roles.All.Contains(args[2]) ? null : $"role must be one of: {string.Join(", ", Roles.All)}"),
            "suspend" when args.Count == 2 => await SuspendAsync(services, db, args[1]),
            "restore" when args.Count == 2 => await SetAsync(db, args[1], u => u.SuspendedAt = null, null),
            "list" => await ListAsync(db),
            _ => Fail(2, "usage: user add EMAIL [--name NAME] [--role admin|moderator|member] | user role EMAIL ROLE | user suspend|restore EMAIL | user list"),
        };
    }

    static async Task<int> AddAsync(IServiceProvider services, string raw, string? name, string? role)
    {
        if (!SubscriptionRules.TryEmail(raw, out var email, out var error)) return Fail(2, error);
        if (role is not null && !Roles.All.Contains(role)) return Fail(2, $"--role must be one of: {string.Join(", ", Roles.All)}");
        if (!AccountRules.TryName(name ?? email.Split('@')[0], out var display, out error)) return Fail(2, error);
        var password = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        var user = await services.GetRequiredService<AccountService>().SignUpAsync(email, display, password, role);
        if (user is null) return Fail(1, $"{email} already has an account");
        var tokens = services.GetRequiredService<AccountTokens>();
        var link = services.GetRequiredService<DigestLinks>().Url("/account/reset", tokens.Create(user.Id, user.SecurityStamp, "reset", AccountTokens.ResetLifetime));
        Console.WriteLine($"created #{user.Id} {email} ({user.Role}); choose a password within 2 hours at:\n{link}");
        return 0;
    }

    static async Task<int> SetAsync(AppDb db, string raw, Action<User> change, string? invalid)
    {
        if (invalid is not null) return Fail(2, invalid);
        SubscriptionRules.TryEmail(raw, out var email, out _);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Email == email);
        if (user is null) return Fail(1, $"no account {email}");
        change(user);
        await db.SaveChangesAsync();
        Console.WriteLine($"#{user.Id} {user.Email}: {user.Role}{(user.SuspendedAt is null ? "" : ", suspended")}");
        return 0;
    }

    // A suspended account's sessions end now, not at their next request.
    static async Task<int> SuspendAsync(IServiceProvider services, AppDb db, string email)
    {
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var result = await SetAsync(db, email, u => u.SuspendedAt = now, null);
        SubscriptionRules.TryEmail(email, out var address, out _);
        if (result == 0) await services.GetRequiredService<SessionService>().RevokeAllAsync(await db.Users.Where(u => u.Email == address).Select(u => u.Id).SingleAsync(), except: null);
        return result;
    }

    static async Task<int> ListAsync(AppDb db)
    {
        foreach (var u in await db.Users.AsNoTracking().OrderBy(u => u.Id).ToListAsync())
            Console.WriteLine($"#{u.Id} {u.Email} {u.Name} {u.Role}{(u.EmailConfirmed ? "" : " (unverified)")}{(u.SuspendedAt is null ? "" : " (suspended)")}");
        return 0;
    }

    static int Fail(int code, string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return code;
    }
}
