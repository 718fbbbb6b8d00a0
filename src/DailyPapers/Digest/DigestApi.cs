using System.Text.Json;
using DailyPapers.Data;
using DailyPapers.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Digest;

public sealed record SubscribeRequest(string? Email, string? Cadence, Topics? Topics, int? Count);

public sealed record SubscribeAccepted(string Status, string Message);

/// <summary>
/// Subscribing (API and the form on every page) and the pages the links in mails open: confirm, preferences,
/// unsubscribe (RFC 8058 one-click POST too) and "view in a browser". The signed token in the link is the only
/// credential, so none of these needs an account, and none reveals whether an address is subscribed.
/// </summary>
public static class DigestApi
{
    // A subscription is a few hundred bytes; anything near this is not one.
    const int MaxBody = 16 * 1024;
    const string Accepted = "If this address can receive mail, a confirmation link is on its way. Nothing is sent before it is followed.";

    public static void MapDigest(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/subscriptions", PostJson).WithTags("Digest")
            .WithSummary("Subscribe an address to the digest; a confirmation mail is sent (double opt-in). Always 202 for a valid request.")
            .WithDescription("Body: {\"email\", \"cadence\": \"weekdays\"|\"daily\"|\"weekly\", \"topics\": {\"categories\": [], \"keywords\": [], \"query\": \"\", \"authors\": []}, \"count\": 1-50}; all but email optional.")
            .Accepts<SubscribeRequest>(ApiDocs.JsonType).Produces<SubscribeAccepted>(202).Fails(400, 413).DisableAntiforgery();
        // Forms below carry no ambient authority (no session; the token in the link is the credential), so
        // cross-site posts can do nothing a stranger could not do directly: no antiforgery token needed.
        app.MapPost("/subscribe", PostForm).ExcludeFromDescription().DisableAntiforgery();
        // Declared IResult: the request delegate generator's code cannot name a Razor component's type (both generators
        // run in the same compilation), so a handler typed RazorComponentResult<T> would not build.
        app.MapGet("/subscribe", IResult (string? back) => new RazorComponentResult<DigestPage>(new
        {
            Heading = "Subscribe", Message = (string?)null, Back = Http.IsLocalUrl(back) ? back : "/",
        })).ExcludeFromDescription();
        app.MapGet("/digest/confirm", Confirm).ExcludeFromDescription();
        app.MapGet("/digest/preferences", GetPreferences).ExcludeFromDescription();
        app.MapPost("/digest/preferences", PostPreferences).ExcludeFromDescription().DisableAntiforgery();
        app.MapGet("/digest/unsubscribe", GetUnsubscribe).ExcludeFromDescription();
        app.MapPost("/digest/unsubscribe", PostUnsubscribe).WithTags("Digest")
            .WithSummary("One-click unsubscribe (RFC 8058): POST to the List-Unsubscribe address of any digest.").DisableAntiforgery();
        app.MapGet("/digest/view", View).ExcludeFromDescription();
    }

    static async Task<IResult> PostJson(HttpContext context, Subscriptions subscriptions, CancellationToken ct)
    {
        if (context.Request.ContentLength > MaxBody) return Http.Error(413, $"the body is larger than {MaxBody} bytes");
        SubscribeRequest? body;
        try
        {
            using var limited = new LimitedStream(context.Request.Body, MaxBody);
            body = await JsonSerializer.DeserializeAsync<SubscribeRequest>(limited, Http.Json, ct);
        }
        catch (JsonException ex) { return Http.Error(400, "the body is not valid JSON: " + ex.Message.Split('.')[0]); }
        catch (LimitedStream.TooLargeException) { return Http.Error(413, $"the body is larger than {MaxBody} bytes"); }
        if (body is null) return Http.Error(400, "the body must be a JSON object");
        if (!SubscriptionRules.TryEmail(body.Email, out var email, out var error)
            || !SubscriptionRules.TryPreferences(body.Cadence, body.Count, body.Topics, out var preferences, out error))
            return Http.Error(400, error);
        await subscriptions.SubscribeAsync(email, preferences, ct);
        return Results.Json(new SubscribeAccepted("pending", Accepted), statusCode: 202);
    }

    static async Task<IResult> PostForm(HttpContext context, Subscriptions subscriptions, CancellationToken ct)
    {
        var f = await Http.ReadFormAsync(context, MaxBody);
        if (!SubscriptionRules.TryEmail(f["email"], out var email, out var error)
            || !SubscriptionRules.TryPreferences(f["cadence"], Int(f["count"]), TopicsOf(f), out var preferences, out error))
            return Page(400, "Not subscribed", error);
        await subscriptions.SubscribeAsync(email, preferences, ct);
        // The answer is its own page: the list the reader came from is the same for everyone and shows no message.
        var back = Http.IsLocalUrl(f["back"]) ? f["back"].ToString() : "/";
        return Flash.Redirect(context, "/subscribe?back=" + Uri.EscapeDataString(back), Accepted);
    }

    static async Task<IResult> Confirm(string? token, Subscriptions subscriptions, CancellationToken ct)
    {
        var (result, subscription) = await subscriptions.ConfirmAsync(token, ct);
        return result switch
        {
            LinkResult.Done => Page(200, "Subscribed", $"Digests will come to {subscription!.Email} ({subscription.Cadence}). Every mail has a link to change or stop them."),
            LinkResult.AlreadyDone => Page(200, "Already confirmed", $"{subscription!.Email} is subscribed."),
            LinkResult.Gone => Page(404, "Link expired", "This subscription no longer exists. Subscribe again from any page."),
            _ => Page(400, "Link not valid", "This confirmation link is malformed, expired, or was replaced by a newer one. Subscribe again to get a fresh link."),
        };
    }

    static async Task<IResult> GetPreferences(string? token, Subscriptions subscriptions, CancellationToken ct) =>
        await subscriptions.FindAsync(token, ct) is { } s
            ? PreferencesPage(s, token!, s.Status == SubscriptionStatus.Unsubscribed ? "You are unsubscribed. Saving preferences does not subscribe you again; subscribe from any page." : null)
            : InvalidLink();

    static async Task<IResult> PostPreferences(HttpContext context, Subscriptions subscriptions, CancellationToken ct)
    {
        var f = await Http.ReadFormAsync(context, MaxBody);
        if (await subscriptions.FindAsync(f["token"], ct) is not { } s) return InvalidLink();
        if (!SubscriptionRules.TryPreferences(f["cadence"], Int(f["count"]), TopicsOf(f), out var preferences, out var error))
            return Page(400, "Not saved", error);
        await subscriptions.UpdateAsync(s, preferences, ct);
        return Flash.Redirect(context, "/digest/preferences?token=" + Uri.EscapeDataString(f["token"]!), "Saved. The next digest follows these preferences.");
    }

    static async Task<IResult> GetUnsubscribe(string? token, Subscriptions subscriptions, CancellationToken ct) =>
        await subscriptions.FindAsync(token, ct) is { } s
            ? s.Status == SubscriptionStatus.Unsubscribed
                ? Page(200, "Unsubscribed", $"{s.Email} gets no more digests.")
                : new RazorComponentResult<DigestPage>(new { Heading = "Unsubscribe", Email = s.Email, UnsubscribeToken = token })
            : InvalidLink();

    // RFC 8058: the mail provider POSTs "List-Unsubscribe=One-Click" to the header's address, with no cookies; the
    // page's button posts the same. Either way it takes effect before the answer.
    static async Task<IResult> PostUnsubscribe(string? token, Subscriptions subscriptions, CancellationToken ct)
    {
        if (await subscriptions.FindAsync(token, ct) is not { } s) return InvalidLink();
        await subscriptions.UnsubscribeAsync(s, ct);
        return Page(200, "Unsubscribed", $"{s.Email} gets no more digests. Changed your mind? Subscribe again from any page.");
    }

    static async Task<IResult> View(HttpContext context, string? token, DigestLinks links, AppDb db, Outbox outbox, CancellationToken ct)
    {
        if (!links.TryView(token, out var id) || await db.Outbox.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id && m.Kind == "digest", ct) is not { } message)
            return InvalidLink();
        var html = DigestRenderer.Html(await outbox.DigestMailAsync(message, viewUrl: false, ct));
        // The mail's HTML keeps its inline styles (mail clients need them); nothing else inline is allowed.
        context.Response.Headers.ContentSecurityPolicy = Web.SecurityHeaders.Policy.Replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");
        return Results.Content(html, "text/html; charset=utf-8");
    }

    static IResult PreferencesPage(Subscription s, string token, string? message) =>
        new RazorComponentResult<DigestPage>(new { Heading = "Digest preferences", Email = s.Email, Token = token, Preferences = s.Preferences, Message = message });

    static IResult InvalidLink() => Page(400, "Link not valid", "This link is malformed or was not made by this site. Use the link in your latest digest.");

    static IResult Page(int status, string heading, string message) =>
        new RazorComponentResult<DigestPage>(new { Heading = heading, Message = message }) { StatusCode = status };

    static Topics TopicsOf(IFormCollection f) => new(List(f["categories"]), List(f["keywords"]), f["query"].ToString() is { Length: > 0 } q ? q : null, List(f["authors"]));

    static List<string> List(string? commaSeparated) => (commaSeparated ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();

    static int? Int(string? s) => string.IsNullOrWhiteSpace(s) ? null : int.TryParse(s, out var n) ? n : -1;

}
