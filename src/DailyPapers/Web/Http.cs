using DailyPapers.Papers;
using Microsoft.Extensions.Options;

namespace DailyPapers.Web;

public static class Http
{
    /// <summary>The API's error body, {"error": "…"}, with its status.</summary>
    public static IResult Error(int status, string message) => Results.Json(new ApiError(message), statusCode: status);

    /// <summary>Absolute base of links in feeds and mails: PublicUrl when set (behind a proxy), else the request's.</summary>
    public static string BaseUrl(HttpContext context)
    {
        var configured = context.RequestServices.GetRequiredService<IOptions<AppOptions>>().Value.PublicUrl;
        if (!string.IsNullOrWhiteSpace(configured)) return configured.TrimEnd('/');
        var r = context.Request;
        return $"{r.Scheme}://{r.Host}{r.PathBase}";
    }

    /// <summary>The current URL with some query parameters replaced (null removes one).</summary>
    public static string With(HttpRequest request, params (string Key, string? Value)[] changes)
    {
        var query = request.Query.ToDictionary(kv => kv.Key, kv => kv.Value.ToString());
        foreach (var (key, value) in changes)
        {
            if (value is null) query.Remove(key);
            else query[key] = value;
        }
        return request.PathBase + request.Path + QueryString.Create(query!);
    }
}
