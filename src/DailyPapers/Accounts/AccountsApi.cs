using DailyPapers.Data;
using DailyPapers.Digest;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Accounts;

/// <summary>The account pages: sign up, sign in and out, verify, forgot and reset, and API tokens.</summary>
public static class AccountsApi
{
    const string Pending = "If the address can receive mail, a message is on its way: follow its link to continue.";

    public static void MapAccounts(this IEndpointRouteBuilder app)
    {
        app.MapGet("/account/signup", () => Page("signup", "Create an account")).ExcludeFromDescription();
        app.MapPost("/account/signup", SignUp).ExcludeFromDescription().DisableAntiforgery().RequireRateLimiting("accounts");
        app.MapGet("/account/signin", () => Page("signin", "Sign in")).ExcludeFromDescription();
        app.MapPost("/account/signin", SignIn).ExcludeFromDescription().DisableAntiforgery().RequireRateLimiting("accounts");
        app.MapPost("/account/signout", (Func<HttpContext, Task<IResult>>)SignOut).ExcludeFromDescription().DisableAntiforgery();
        app.MapGet("/account/verify", Verify).ExcludeFromDescription();
        app.MapGet("/account/forgot", () => Page("forgot", "Reset your password")).ExcludeFromDescription();
        app.MapPost("/account/forgot", Forgot).ExcludeFromDescription().DisableAntiforgery().RequireRateLimiting("accounts");
        app.MapGet("/account/reset", (string? token) => Page("reset", "Choose a new password", token: token)).ExcludeFromDescription();
        app.MapPost("/account/reset", Reset).ExcludeFromDescription().DisableAntiforgery().RequireRateLimiting("accounts");
        app.MapGet("/account", Account).ExcludeFromDescription().RequireAuthorization();
        app.MapPost("/account/tokens", CreateToken).ExcludeFromDescription().DisableAntiforgery().RequireAuthorization();
        app.MapPost("/account/tokens/{id:long}/revoke", RevokeToken).ExcludeFromDescription().DisableAntiforgery().RequireAuthorization();
    }

    static async Task<IResult> SignUp(HttpContext context, AccountService accounts, CancellationToken ct)
    {
        if (await FormAsync(context) is not { } f) return Refused("signup", "Create an account");
        if (!SubscriptionRules.TryEmail(f["email"], out var email, out var error) || !AccountRules.TryName(f["name"], out var name, out error)
            || !AccountRules.TryPassword(f["password"], out error))
            return Page("signup", "Create an account", error, 400);
        await accounts.SignUpAsync(email, name, f["password"]!, ct: ct);
        return Page("signin", "Check your inbox", Pending + " You can sign in already.");
    }

    static async Task<IResult> SignIn(HttpContext context, AccountService accounts, CancellationToken ct)
    {
        if (await FormAsync(context) is not { } f) return Refused("signin", "Sign in");
        SubscriptionRules.TryEmail(f["email"], out var email, out _);
        var (result, user) = await accounts.SignInAsync(email, f["password"].ToString(), ct);
        if (result != SignInResult.Ok)
            return Page("signin", "Sign in", result switch
            {
                SignInResult.Locked => $"Too many failed attempts: this account is locked for {AccountRules.Lockout.TotalMinutes:0} minutes.",
                SignInResult.Suspended => "This account is suspended.",
                _ => "Wrong email or password.",
            }, result == SignInResult.Locked ? 429 : 400);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, AccountService.Principal(user!, CookieAuthenticationDefaults.AuthenticationScheme));
        return Results.Redirect("/account");
    }

    static async Task<IResult> SignOut(HttpContext context)
    {
        if (await FormAsync(context) is null) return Refused("signin", "Sign in");
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.Redirect("/");
    }

    static async Task<IResult> Verify(string? token, AccountService accounts, CancellationToken ct) =>
        await accounts.VerifyEmailAsync(token, ct)
            ? Page("signin", "Address verified", "Thank you. You can sign in.")
            : Page("signin", "Link not valid", "This link is malformed, expired, or older than your last password change.", 400);

    static async Task<IResult> Forgot(HttpContext context, AccountService accounts, CancellationToken ct)
    {
        if (await FormAsync(context) is not { } f) return Refused("forgot", "Reset your password");
        if (SubscriptionRules.TryEmail(f["email"], out var email, out _)) await accounts.RequestResetAsync(email, ct);
        return Page("signin", "Check your inbox", Pending);
    }

    static async Task<IResult> Reset(HttpContext context, AccountService accounts, CancellationToken ct)
    {
        if (await FormAsync(context) is not { } f) return Refused("reset", "Choose a new password");
        if (!AccountRules.TryPassword(f["password"], out var error)) return Page("reset", "Choose a new password", error, 400, f["token"]);
        return await accounts.ResetAsync(f["token"], f["password"]!, ct)
            ? Page("signin", "Password changed", "Sign in with your new password. Every other session was signed out.")
            : Page("forgot", "Link not valid", "This reset link is malformed, expired or already used. Ask for a new one.", 400);
    }

    static async Task<IResult> Account(HttpContext context, AppDb db, string? created, CancellationToken ct)
    {
        if (await Auth.CurrentAsync(context) is not { } user) return Results.Redirect("/account/signin");
        var tokens = await db.ApiTokens.AsNoTracking().Where(t => t.UserId == user.Id).OrderByDescending(t => t.Id).ToListAsync(ct);
        return new RazorComponentResult<AccountPage>(new { Mode = "account", Heading = "Your account", User = user, Tokens = tokens });
    }

    static async Task<IResult> CreateToken(HttpContext context, AccountService accounts, AppDb db, CancellationToken ct)
    {
        if (await FormAsync(context) is not { } f || await Auth.CurrentAsync(context) is not { } user) return Refused("account", "Your account");
        if (!AccountRules.TryName(f["name"], out var name, out var error)) return Page("account", "Your account", error, 400);
        var (_, secret) = await accounts.CreateTokenAsync(user, name, ct);
        var tokens = await db.ApiTokens.AsNoTracking().Where(t => t.UserId == user.Id).OrderByDescending(t => t.Id).ToListAsync(ct);
        return new RazorComponentResult<AccountPage>(new { Mode = "account", Heading = "Your account", User = user, Tokens = tokens, NewToken = secret });
    }

    static async Task<IResult> RevokeToken(HttpContext context, long id, AccountService accounts, CancellationToken ct)
    {
        if (await FormAsync(context) is null || Auth.UserId(context.User) is not { } userId) return Refused("account", "Your account");
        return await accounts.RevokeTokenAsync(userId, id, ct) ? Results.Redirect("/account") : Page("account", "Your account", "No such token.", 404);
    }

    /// <summary>The posted form, once its antiforgery token is checked; null when it is missing or wrong.</summary>
    static async Task<IFormCollection?> FormAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType || context.Request.ContentLength > 16 * 1024) return null;
        return await Auth.AntiforgeryOkAsync(context) ? await context.Request.ReadFormAsync() : null;
    }

    static IResult Refused(string mode, string heading) =>
        Page(mode, heading, "The form expired or did not come from this site. Reload the page and try again.", 400);

    static IResult Page(string mode, string heading, string? message = null, int status = 200, string? token = null) =>
        new RazorComponentResult<AccountPage>(new { Mode = mode, Heading = heading, Message = message, Token = token }) { StatusCode = status };
}
