using DailyPapers.Data;
using DailyPapers.Digest;
using DailyPapers.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Accounts;

/// <summary>
/// The account pages: sign up, sign in and out (here or everywhere), verify, forgot and reset, change the password,
/// and API tokens. Every form that changes something answers with a redirect and a one-time message (Flash), so a
/// reload never posts it twice; a form with a mistake comes back with the message and a 400.
/// </summary>
public static class AccountsApi
{
    const string Pending = "If the address can receive mail, a message is on its way: follow its link to continue.";

    public static void MapAccounts(this IEndpointRouteBuilder app)
    {
        app.MapGet("/account/signup", () => Page("signup", "Create an account")).ExcludeFromDescription();
        app.MapPost("/account/signup", SignUp).ExcludeFromDescription().DisableAntiforgery().RequireRateLimiting("accounts");
        app.MapGet("/account/signin", ([Microsoft.AspNetCore.Mvc.FromQuery(Name = "ReturnUrl")] string? returnUrl) => Page("signin", "Sign in", returnUrl: returnUrl)).ExcludeFromDescription();
        app.MapPost("/account/signin", SignIn).ExcludeFromDescription().DisableAntiforgery().RequireRateLimiting("accounts");
        app.MapPost("/account/signout", (Func<HttpContext, SessionService, Task<IResult>>)SignOut).ExcludeFromDescription().DisableAntiforgery();
        app.MapPost("/account/signout-everywhere", SignOutEverywhere).ExcludeFromDescription().DisableAntiforgery().RequireAuthorization();
        app.MapGet("/account/verify", Verify).ExcludeFromDescription();
        app.MapGet("/account/forgot", () => Page("forgot", "Reset your password")).ExcludeFromDescription();
        app.MapPost("/account/forgot", Forgot).ExcludeFromDescription().DisableAntiforgery().RequireRateLimiting("accounts");
        app.MapGet("/account/reset", (string? token) => Page("reset", "Choose a new password", token: token)).ExcludeFromDescription();
        app.MapPost("/account/reset", Reset).ExcludeFromDescription().DisableAntiforgery().RequireRateLimiting("accounts");
        app.MapPost("/account/password", ChangePassword).ExcludeFromDescription().DisableAntiforgery().RequireAuthorization().RequireRateLimiting("accounts");
        app.MapGet("/account", Account).ExcludeFromDescription().RequireAuthorization();
        app.MapPost("/account/tokens", CreateToken).ExcludeFromDescription().DisableAntiforgery().RequireAuthorization();
        app.MapPost("/account/tokens/{id:long}/revoke", RevokeToken).ExcludeFromDescription().DisableAntiforgery().RequireAuthorization();
        app.MapGet("/account/export", ExportAsync).ExcludeFromDescription().RequireAuthorization();
        app.MapPost("/account/delete", DeleteAsync).ExcludeFromDescription().DisableAntiforgery().RequireAuthorization().RequireRateLimiting("accounts");
    }

    static async Task<IResult> SignUp(HttpContext context, AccountService accounts, CancellationToken ct)
    {
        if (await FormAsync(context) is not { } f) return Refused("signup", "Create an account");
        if (!SubscriptionRules.TryEmail(f["email"], out var email, out var error) || !AccountRules.TryName(f["name"], out var name, out error)
            || !AccountRules.TryPassword(f["password"], out error))
            return Page("signup", "Create an account", error, 400);
        await accounts.SignUpAsync(email, name, f["password"]!, ct: ct);
        return Flash.Redirect(context, "/account/signin", Pending + " You can sign in already.");
    }

    static async Task<IResult> SignIn(HttpContext context, AccountService accounts, SessionService sessions, CancellationToken ct)
    {
        if (await FormAsync(context) is not { } f) return Refused("signin", "Sign in");
        SubscriptionRules.TryEmail(f["email"], out var email, out _);
        var returnUrl = f["ReturnUrl"].ToString();
        var (result, user) = await accounts.SignInAsync(email, f["password"].ToString(), ct);
        if (result != SignInResult.Ok)
            return Page("signin", "Sign in", result switch
            {
                SignInResult.Locked => $"Too many failed attempts: this account is locked for {AccountRules.Lockout.TotalMinutes:0} minutes.",
                SignInResult.Suspended => "This account is suspended.",
                _ => "Wrong email or password.",
            }, result == SignInResult.Locked ? 429 : 400, returnUrl: returnUrl);
        await sessions.SignInAsync(context, user!);
        await Votes.PendingVote.CastAsync(context, user!.Id, ct);
        return Http.LocalRedirect(returnUrl, "/account");
    }

    static async Task<IResult> SignOut(HttpContext context, SessionService sessions)
    {
        if (await FormAsync(context) is null) return Refused("signin", "Sign in");
        await sessions.RevokeAsync(SessionService.IdOf(context.User));
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Flash.Redirect(context, "/account/signin", "You are signed out.");
    }

    static async Task<IResult> SignOutEverywhere(HttpContext context, SessionService sessions, CancellationToken ct)
    {
        if (await FormAsync(context) is null || Auth.UserId(context.User) is not { } me) return Refused("account", "Your account");
        var ended = await sessions.RevokeAllAsync(me, except: null, ct);
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Flash.Redirect(context, "/account/signin", $"Signed out everywhere: {ended} {(ended == 1 ? "session" : "sessions")} ended.");
    }

    static async Task<IResult> Verify(string? token, AccountService accounts, CancellationToken ct) =>
        await accounts.VerifyEmailAsync(token, ct)
            ? Page("signin", "Address verified", "Thank you. You can sign in.")
            : Page("signin", "Link not valid", "This link is malformed, expired, or older than your last password change.", 400);

    static async Task<IResult> Forgot(HttpContext context, AccountService accounts, CancellationToken ct)
    {
        if (await FormAsync(context) is not { } f) return Refused("forgot", "Reset your password");
        if (SubscriptionRules.TryEmail(f["email"], out var email, out _)) await accounts.RequestResetAsync(email, ct);
        return Flash.Redirect(context, "/account/signin", Pending);
    }

    static async Task<IResult> Reset(HttpContext context, AccountService accounts, CancellationToken ct)
    {
        if (await FormAsync(context) is not { } f) return Refused("reset", "Choose a new password");
        if (!AccountRules.TryPassword(f["password"], out var error)) return Page("reset", "Choose a new password", error, 400, f["token"]);
        return await accounts.ResetAsync(f["token"], f["password"]!, ct)
            ? Flash.Redirect(context, "/account/signin", "Password changed. Sign in with your new password: every session was signed out.")
            : Page("forgot", "Link not valid", "This reset link is malformed, expired or already used. Ask for a new one.", 400);
    }

    static async Task<IResult> ChangePassword(HttpContext context, AccountService accounts, SessionService sessions, AppDb db, CancellationToken ct)
    {
        if (await FormAsync(context) is not { } f || await Auth.CurrentAsync(context) is not { } user) return Refused("account", "Your account");
        if (!AccountRules.TryPassword(f["password"], out var error)) return await AccountPageAsync(context, db, user, sessions, error, 400, ct);
        var session = SessionService.IdOf(context.User);
        if (!await accounts.ChangePasswordAsync(user, f["current"].ToString(), f["password"]!, session, ct))
            return await AccountPageAsync(context, db, user, sessions, "The current password is wrong.", 400, ct);
        await sessions.SignInAsync(context, user, session);
        return Flash.Redirect(context, "/account", "Password changed. Every other session was signed out.");
    }

    static async Task<IResult> Account(HttpContext context, AppDb db, SessionService sessions, CancellationToken ct) =>
        await Auth.CurrentAsync(context) is { } user ? await AccountPageAsync(context, db, user, sessions, null, 200, ct) : Results.Redirect("/account/signin");

    static async Task<IResult> AccountPageAsync(HttpContext context, AppDb db, User user, SessionService sessions, string? message, int status, CancellationToken ct)
    {
        var tokens = await db.ApiTokens.AsNoTracking().Where(t => t.UserId == user.Id).OrderByDescending(t => t.Id).ToListAsync(ct);
        var active = await sessions.ActiveAsync(user.Id, ct);
        var overview = await AccountOverview.LoadAsync(db, context.RequestServices.GetRequiredService<DigestLinks>(), user, ct);
        return new RazorComponentResult<AccountPage>(new
        {
            Mode = "account", Heading = "Your account", User = user, Tokens = tokens, Sessions = active,
            CurrentSession = SessionService.IdOf(context.User), Message = message, Overview = overview,
        }) { StatusCode = status };
    }

    static async Task<IResult> CreateToken(HttpContext context, AccountService accounts, SessionService sessions, AppDb db, CancellationToken ct)
    {
        if (await FormAsync(context) is not { } f || await Auth.CurrentAsync(context) is not { } user) return Refused("account", "Your account");
        if (!AccountRules.TryName(f["name"], out var name, out var error)) return await AccountPageAsync(context, db, user, sessions, error, 400, ct);
        var (_, secret) = await accounts.CreateTokenAsync(user, name, ct);
        return Flash.Redirect(context, "/account", "Your new token, shown only this once:", secret);
    }

    static async Task<IResult> RevokeToken(HttpContext context, long id, AccountService accounts, CancellationToken ct)
    {
        if (await FormAsync(context) is null || Auth.UserId(context.User) is not { } userId) return Refused("account", "Your account");
        return await accounts.RevokeTokenAsync(userId, id, ct) ? Flash.Redirect(context, "/account", "Token revoked.") : Pages.Error(404, "No such token.");
    }

    static readonly System.Text.Json.JsonSerializerOptions Indented = new(System.Text.Json.JsonSerializerDefaults.Web) { WriteIndented = true };

    static async Task<IResult> ExportAsync(HttpContext context, AppDb db, CancellationToken ct)
    {
        if (await Auth.CurrentAsync(context) is not { } user) return Results.Redirect("/account/signin");
        context.Response.Headers.CacheControl = "no-store, private";
        var json = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(await AccountData.LoadAsync(db, user, ct), Indented);
        return Results.File(json, "application/json", $"dailypapers-account-{user.Id}.json");
    }

    static async Task<IResult> DeleteAsync(HttpContext context, SessionService sessions, AppDb db, TimeProvider clock, CancellationToken ct)
    {
        if (await FormAsync(context) is not { } f || await Auth.CurrentAsync(context) is not { } user) return Refused("account", "Your account");
        if (!AccountService.PasswordMatches(user, f["password"].ToString()))
            return await AccountPageAsync(context, db, user, sessions, "The password is wrong: nothing was deleted.", 400, ct);
        if (await AccountDeletion.DeleteAsync(db, sessions, user, clock.GetUtcNow().UtcDateTime, ct) is { } refused)
            return await AccountPageAsync(context, db, user, sessions, refused, 409, ct);
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Flash.Redirect(context, "/", "Your account is deleted. Your comments show as [deleted]; your votes, lists and follows are gone.");
    }

    /// <summary>
    /// The posted form, once its antiforgery token is checked; null when it is missing or wrong. An API token does not
    /// manage the account it acts for: it could otherwise mint tokens that outlive its own revocation, or a session.
    /// </summary>
    static async Task<IFormCollection?> FormAsync(HttpContext context)
    {
        var form = await Http.ReadFormAsync(context);
        if (context.User.Identity?.AuthenticationType == Auth.Bearer) throw Errors.Bad(403, "account forms need a signed-in browser, not an API token");
        return await Auth.AntiforgeryOkAsync(context) ? form : null;
    }

    const string Expired = "The form expired or did not come from this site. Reload the page and try again.";

    static IResult Refused(string mode, string heading) => mode == "account" ? Pages.Error(400, Expired) : Page(mode, heading, Expired, 400);

    static IResult Page(string mode, string heading, string? message = null, int status = 200, string? token = null, string? returnUrl = null) =>
        new RazorComponentResult<AccountPage>(new { Mode = mode, Heading = heading, Message = message, Token = token, ReturnUrl = Http.IsLocalUrl(returnUrl) ? returnUrl : null })
            { StatusCode = status };
}
