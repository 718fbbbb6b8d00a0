using System.Security.Claims;
using System.Text.Encodings.Web;
using DailyPapers.Data;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace DailyPapers.Accounts;

/// <summary>
/// Who is asking: a session cookie (pages, and the page's own script) or `Authorization: Bearer` with a personal
/// API token (scripts). Cookie requests that change state must also carry the antiforgery token; bearer requests
/// need not, since no browser sends that header by itself.
/// </summary>
public static class Auth
{
    public const string Bearer = "Bearer";
    const string Smart = "cookie-or-bearer";

    public static void AddDailyPapersAuth(this IServiceCollection services, bool development)
    {
        services.AddAuthentication(Smart)
            .AddPolicyScheme(Smart, Smart, o => o.ForwardDefaultSelector = c =>
                c.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? Bearer : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = "dp_session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                o.ExpireTimeSpan = TimeSpan.FromDays(30);
                o.SlidingExpiration = true;
                o.LoginPath = "/account/signin";
                // Pages send a reader who is not signed in to sign in, and back here afterwards (ReturnUrl); the API
                // answers 401 in its JSON shape. A signed-in reader whose role does not allow a page gets a 403 page:
                // signing in again would not help.
                o.Events.OnRedirectToLogin = c => Web.Errors.IsMachineRoute(c.Request)
                    ? Web.Errors.WriteAsync(c.HttpContext, 401, "sign in or send an API token") : Redirect(c);
                o.Events.OnRedirectToAccessDenied = c => Web.Errors.WriteAsync(c.HttpContext, 403, "Your role does not allow this.");
                o.Events.OnValidatePrincipal = ValidateAsync;
            })
            .AddScheme<AuthenticationSchemeOptions, BearerHandler>(Bearer, null);
        services.AddAuthorization();
        // The antiforgery cookie is no credential (it only pairs with the token in the form), and with Always every
        // page with a form would fail over plain HTTP, as `dotnet run` serves it by default.
        services.AddAntiforgery(o => { o.HeaderName = "X-CSRF-Token"; o.Cookie.Name = "dp_csrf"; o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; });
    }

    // The handler's own URI is absolute, built from the request's Host header, which a client chooses: keep the
    // path and query only.
    static Task Redirect(RedirectContext<CookieAuthenticationOptions> c)
    {
        c.Response.Redirect(Uri.TryCreate(c.RedirectUri, UriKind.Absolute, out var uri) ? uri.PathAndQuery : c.RedirectUri);
        return Task.CompletedTask;
    }

    // The session row must be alive (not signed out, not revoked, not idle for 30 days); a changed password (new
    // security stamp), a suspension or a deleted account end the session too, at its next request.
    static async Task ValidateAsync(CookieValidatePrincipalContext c)
    {
        var services = c.HttpContext.RequestServices;
        var id = UserId(c.Principal);
        var user = id is null ? null : await services.GetRequiredService<AppDb>().Users.FindAsync(id.Value);
        var sessionId = c.Principal is null ? null : SessionService.IdOf(c.Principal);
        if (user is null || user.SuspendedAt is not null || user.SecurityStamp != c.Principal?.FindFirstValue("stamp")
            || !await services.GetRequiredService<SessionService>().IsAliveAsync(sessionId, user.Id, c.HttpContext.RequestAborted))
        {
            c.RejectPrincipal();
            await c.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }
        // The role may have changed since sign-in: the stored one counts.
        if (c.Principal!.FindFirstValue(ClaimTypes.Role) != user.Role)
            c.ReplacePrincipal(AccountService.Principal(user, CookieAuthenticationDefaults.AuthenticationScheme, sessionId));
    }

    public static bool IsModerator(ClaimsPrincipal? user) => user is not null && (user.IsInRole(Roles.Moderator) || user.IsInRole(Roles.Admin));

    public static long? UserId(ClaimsPrincipal? principal) =>
        long.TryParse(principal?.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    public static async Task<User?> CurrentAsync(HttpContext context)
    {
        var id = UserId(context.User);
        return id is null ? null : await context.RequestServices.GetRequiredService<AppDb>().Users.FindAsync(id.Value);
    }

    public const string CsrfMessage = "missing or invalid X-CSRF-Token header (needed with a session cookie)";

    /// <summary>
    /// The antiforgery check for API endpoints, as a filter on the route or group rather than a line in each handler:
    /// safe methods pass, bearer requests pass, cookie requests need the X-CSRF-Token header.
    /// </summary>
    public static TBuilder RequireCsrfForCookies<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (invocation, next) =>
        {
            var context = invocation.HttpContext;
            var safe = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
            return safe || await AntiforgeryOkAsync(context) ? await next(invocation) : Web.Http.Error(400, CsrfMessage);
        });

    /// <summary>
    /// For state-changing requests: a cookie-authenticated (or anonymous form) request must carry a valid antiforgery
    /// token, in the form or the X-CSRF-Token header. False means refuse with 400.
    /// </summary>
    public static async Task<bool> AntiforgeryOkAsync(HttpContext context)
    {
        if (context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return true;
        // The check reads a posted form itself, with no limits: read it first, within them (a malformed one is a 400).
        if (context.Request.HasFormContentType) await Web.Http.ReadFormAsync(context);
        return await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context);
    }

    /// <summary>
    /// Forms on pages every reader shares (lists, paper pages: no per-visitor bytes, so no antiforgery token) are
    /// accepted when the browser says they were posted from this site: Sec-Fetch-Site: same-origin, or an Origin
    /// equal to this site's. A valid antiforgery token (forms on per-visitor pages, scripts) or a bearer token also
    /// passes. A browser that sends neither header gets FormConfirmation's page with a token instead.
    /// </summary>
    public static async Task<bool> FormFromThisSiteAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Headers["Sec-Fetch-Site"].ToString() == "same-origin") return true;
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase)) return true;
        return await AntiforgeryOkAsync(context);
    }

    sealed class BearerHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var header = Request.Headers.Authorization.ToString();
            if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
            var secret = header["Bearer ".Length..].Trim();
            if (!secret.StartsWith(AccountService.TokenPrefix, StringComparison.Ordinal) || secret.Length > 100) return AuthenticateResult.Fail("malformed token");
            var user = await Context.RequestServices.GetRequiredService<AccountService>().FromApiTokenAsync(secret, Context.RequestAborted);
            return user is null ? AuthenticateResult.Fail("unknown or revoked token")
                : AuthenticateResult.Success(new AuthenticationTicket(AccountService.Principal(user, Bearer), Bearer));
        }

        protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
            Web.Errors.WriteAsync(Context, 401, "the API token is missing, unknown or revoked");

        protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
            Web.Errors.WriteAsync(Context, 403, "your role does not allow this");
    }
}
