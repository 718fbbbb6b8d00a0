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
/// (per account), named on the route with the framework's RequireRateLimiting("votes"). Over the limit: 429 with
/// Retry-After, in the API's JSON shape or as a page. Every answer of a limited route tells its own client where it
/// stands, in the IETF draft's fields (draft-ietf-httpapi-ratelimit-headers-10): `RateLimit-Policy: "votes";q=300;w=60`
/// (the quota per window of seconds) and `RateLimit: "votes";r=299;t=42` (what remains, seconds to the window's end).
/// </summary>
/// <remarks>
/// The counting is here, not in the framework's rate limiter middleware: its leases tell neither the quota left nor
/// when the window ends, which those fields need, and a fixed window per client is a few lines. The fields are set
/// per request, never by the shared cache: limited routes are posts, and SharedCache refuses to store any reply
/// that carries them.
/// </remarks>
public static class RateLimits
{
    public const string Header = "RateLimit";

    public static void UseRateLimits(this WebApplication app) => app.Use(async (context, next) =>
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName is not { } policy)
        {
            await next(context);
            return;
        }
        var take = context.RequestServices.GetRequiredService<RateWindows>().Take(policy, Key(policy, context));
        // Set as the answer starts: an error page further in clears the headers first.
        context.Response.OnStarting(() =>
        {
            context.Response.Headers["RateLimit-Policy"] = $"\"{policy}\";q={take.Quota};w={take.Window}";
            context.Response.Headers[Header] = $"\"{policy}\";r={take.Remaining};t={take.Reset}";
            return Task.CompletedTask;
        });
        if (take.Allowed)
        {
            await next(context);
            return;
        }
        context.Response.Headers.RetryAfter = take.Reset.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Errors.WriteAsync(context, 429, $"too many requests; try again in {take.Reset} seconds");
    });

    static string Key(string policy, HttpContext c) => policy == "accounts" ? Client(c) : User(c);

    static string Client(HttpContext c) => c.Connection.RemoteIpAddress?.ToString() ?? "local";

    static string User(HttpContext c) => Accounts.Auth.UserId(c.User)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Client(c);
}

/// <summary>One fixed window per policy and client, starting at its first request (as the framework's FixedWindowRateLimiter).</summary>
public sealed class RateWindows(Microsoft.Extensions.Options.IOptions<AppOptions> options, TimeProvider clock)
{
    public readonly record struct Taken(bool Allowed, int Quota, int Window, int Remaining, int Reset);

    sealed class Window
    {
        public DateTimeOffset Start;
        public int Used;
    }

    // Windows that ended are dropped once there are this many clients, so a flood of addresses cannot grow it unbounded.
    const int PruneAbove = 10_000;
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, Window> windows = new();

    public Taken Take(string policy, string client)
    {
        var limits = options.Value.RateLimits;
        var quota = policy switch
        {
            "accounts" => limits.Accounts,
            "votes" => limits.Votes,
            "comments" => limits.Comments,
            _ => throw new InvalidOperationException($"no rate limit named '{policy}' (accounts, votes, comments)"),
        };
        var length = TimeSpan.FromSeconds(limits.WindowSeconds);
        var now = clock.GetUtcNow();
        if (windows.Count > PruneAbove) Prune(now, length);
        var window = windows.GetOrAdd(policy + " " + client, _ => new Window { Start = now });
        lock (window)
        {
            if (now - window.Start >= length) (window.Start, window.Used) = (now, 0);
            var allowed = window.Used < quota;
            if (allowed) window.Used++;
            var reset = (int)Math.Ceiling((window.Start + length - now).TotalSeconds);
            return new(allowed, quota, (int)Math.Ceiling(length.TotalSeconds), quota - window.Used, Math.Max(reset, 1));
        }
    }

    void Prune(DateTimeOffset now, TimeSpan length)
    {
        foreach (var (key, window) in windows)
            if (now - window.Start >= length) windows.TryRemove(key, out _);
    }
}
