using Microsoft.AspNetCore.DataProtection;

namespace DailyPapers.Web;

/// <summary>
/// A small value carried across one redirect in a cookie the browser cannot read or forge (HttpOnly, encrypted and
/// signed by Data Protection, short-lived) and deleted when read. Flash messages and a vote waiting for sign-in use it.
/// </summary>
public static class OneTimeCookie
{
    public static void Set(HttpContext context, string name, string value, TimeSpan lifetime)
    {
        var protector = Protector(context, name);
        context.Response.Cookies.Append(name, protector.Protect(value, DateTimeOffset.UtcNow + lifetime), new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = context.Request.IsHttps, Path = "/", MaxAge = lifetime, IsEssential = true,
        });
    }

    /// <summary>The value, once: the cookie is deleted whether or not it was still valid.</summary>
    public static string? Take(HttpContext context, string name)
    {
        if (!context.Request.Cookies.TryGetValue(name, out var raw)) return null;
        context.Response.Cookies.Delete(name, new CookieOptions { Path = "/" });
        try { return Protector(context, name).Unprotect(raw); }
        catch (System.Security.Cryptography.CryptographicException) { return null; }
    }

    static ITimeLimitedDataProtector Protector(HttpContext context, string name) =>
        context.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector("cookie." + name).ToTimeLimitedDataProtector();
}

/// <summary>
/// Post/Redirect/Get: a form post that changed something answers with a redirect, and the page it leads to shows
/// what happened once. Reloading that page then posts nothing again (no second token, no second mail).
/// </summary>
public static class Flash
{
    const string Cookie = "dp_flash";
    const string Key = "flash";

    public sealed record Message(string Text, string? Code = null);

    public static IResult Redirect(HttpContext context, string to, string text, string? code = null)
    {
        OneTimeCookie.Set(context, Cookie, System.Text.Json.JsonSerializer.Serialize(new Message(text, code)), TimeSpan.FromMinutes(2));
        return Http.LocalRedirect(to, "/");
    }

    /// <summary>Takes the message before the page renders (its cookie is deleted in the headers), for Layout to show.</summary>
    public static void UseFlash(this WebApplication app) => app.Use(async (context, next) =>
    {
        if (HttpMethods.IsGet(context.Request.Method) && context.Request.Cookies.ContainsKey(Cookie) && IsPage(context.Request)
            && OneTimeCookie.Take(context, Cookie) is { } json)
        {
            try { context.Items[Key] = System.Text.Json.JsonSerializer.Deserialize<Message>(json); }
            catch (System.Text.Json.JsonException) { }
        }
        await next(context);
    });

    public static Message? Current(HttpContext? context) => context?.Items[Key] as Message;

    // Only a page shows the message: an asset, a feed or the page's own script must not use it up first.
    static bool IsPage(HttpRequest request) => !Errors.IsMachineRoute(request) &&
        !request.Path.StartsWithSegments("/site.css") && !request.Path.StartsWithSegments("/site.js") && !(request.Path.Value ?? "").StartsWith("/favicon", StringComparison.Ordinal);
}
