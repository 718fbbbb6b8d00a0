using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace DailyPapers.Web;

/// <summary>Headers every response carries: no framing, no sniffing, scripts, styles, images and media only from this site.</summary>
public static class SecurityHeaders
{
    // Images and media from this site only: remote ones are fetched and served by the hub (Media/), so no reader's
    // browser contacts another host.
    public const string Policy = "default-src 'self'; img-src 'self' data:; media-src 'self'; style-src 'self'; script-src 'self'; " +
                                 "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    public static void UseSecurityHeaders(this WebApplication app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var h = context.Response.Headers;
            // A page may set a narrower or different policy itself (the digest's browser view has inline styles).
            if (!h.ContainsKey("Content-Security-Policy")) h.ContentSecurityPolicy = Policy;
            h.XContentTypeOptions = "nosniff";
            h.XFrameOptions = "DENY";
            h["Referrer-Policy"] = "strict-origin-when-cross-origin";
            h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            return Task.CompletedTask;
        });
        await next();
    });
}

/// <summary>
/// Rate limits on what a script could abuse: sign-in and sign-up (per address of the client), votes and comments
/// (per account). Over the limit: 429 with Retry-After, in the API's JSON shape or as a page.
/// </summary>
public static class RateLimits
{
    public static void Configure(RateLimiterOptions o, RateLimitOptions limits)
    {
        var window = TimeSpan.FromSeconds(limits.WindowSeconds);
        o.RejectionStatusCode = 429;
        o.AddPolicy("accounts", c => Window(Client(c), limits.Accounts, window));
        o.AddPolicy("votes", c => Window(User(c), limits.Votes, window));
        o.AddPolicy("comments", c => Window(User(c), limits.Comments, window));
        o.OnRejected = async (context, ct) =>
        {
            var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
            context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var message = $"too many requests; try again in {Math.Ceiling(retry.TotalSeconds):0} seconds";
            await Errors.WriteAsync(context.HttpContext, 429, message);
        };
    }

    static string Client(HttpContext c) => c.Connection.RemoteIpAddress?.ToString() ?? "local";

    static string User(HttpContext c) => Accounts.Auth.UserId(c.User)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Client(c);

    static RateLimitPartition<string> Window(string key, int permits, TimeSpan window) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 });
}
