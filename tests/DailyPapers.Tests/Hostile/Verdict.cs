using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.Routing;
using Microsoft.AspNetCore.Routing;

namespace DailyPapers.Tests.Hostile;

/// <summary>
/// What every answer to a hostile request must be: never a 5xx; an error is a clear 4xx with a message in the
/// route's shape (JSON {"error"} under /api/ and for feeds, an HTML page with its notice elsewhere); redirects stay
/// on this site; no spoofed host in links; the stored data unchanged.
/// </summary>
public static partial class Verdict
{
    public static void Check(HostileCase c, Outcome o)
    {
        var problems = Problems(c, o);
        if (problems.Count > 0) Assert.Fail(Describe(c, o, problems));
    }

    public static List<string> Problems(HostileCase c, Outcome o)
    {
        var problems = new List<string>();
        if (o.Thrown is null) problems.AddRange(StatusProblems(c, o));
        else if (!o.RefusedByHost) problems.Add($"no answer: the request threw {o.Thrown.GetType().Name}: {FirstLine(o.Thrown.Message)}");
        if (c.NoEvil && (o.Body + "\n" + o.HeaderText).Contains(HostileCases.Evil, StringComparison.OrdinalIgnoreCase))
            problems.Add($"the answer links to the spoofed host {HostileCases.Evil}");
        if (o.DataChanges.Count > 0)
            problems.Add("stored data changed: " + string.Join("; ", o.DataChanges) + " (the request should have been refused before" +
                " writing; if this route acts on any request and ignores this input, list it in HostileCases.IgnoresBody or ActsOnAnyForm)");
        return problems;
    }

    static IEnumerable<string> StatusProblems(HostileCase c, Outcome o)
    {
        var s = o.Status;
        if (s >= 500) yield return $"{s}: a server error, never the answer to bad input";
        else if (s >= 400) foreach (var p in ErrorShape(c, o)) yield return p;
        else if (s >= 300) foreach (var p in RedirectProblems(c, o)) yield return p;
        else if (c.Expect == Expect.Refused) yield return $"{s}: expected a refusal (4xx) with a message";
        if (c.Expect == Expect.SameAsAbsent && o.ControlStatus is { } control && s != control && s < 500)
            yield return $"{s}: expected the same answer as for a valid id that is not stored ({control})";
    }

    /// <summary>
    /// Under /api/ and /openapi/, and for feeds: application/json {"error": "…"}; /mcp too, or the JSON-RPC error its
    /// clients read ({"error": {"code", "message": "…"}}); elsewhere an HTML page with a notice.
    /// </summary>
    static IEnumerable<string> ErrorShape(HostileCase c, Outcome o)
    {
        var type = o.ContentType?.Split(';')[0].Trim().ToLowerInvariant() ?? "(none)";
        if (IsApiOrFeed(c.Url))
        {
            if (type != "application/json") yield return $"{o.Status} as {type}: an API or feed error must be application/json";
            else if (!HasJsonError(o.Body, jsonRpc: IsMcp(c.Url))) yield return $"{o.Status}: the JSON has no non-empty \"error\" message";
        }
        else
        {
            if (type != "text/html") yield return $"{o.Status} as {type}: a page's error must be an HTML page";
            else if (!HasNotice(o.Body)) yield return $"{o.Status}: the page shows no message (<p class=\"notice\">)";
        }
    }

    static IEnumerable<string> RedirectProblems(HostileCase c, Outcome o)
    {
        if (o.Location is not { } location)
        {
            yield return $"{o.Status} without a Location";
            yield break;
        }
        if (c.LocalRedirect ? !IsLocalUrl(location) : !IsLocalUrl(location) && !IsOwnAbsolute(location))
            yield return $"{o.Status} to {Visible(location)}: not a local path";
        // Without an account, being sent to sign in is the pages' way of refusing.
        var toSignIn = c.Who != Who.Bearer && PathOf(location).StartsWith("/account/signin", StringComparison.Ordinal);
        if (c.Expect == Expect.Refused && !toSignIn) yield return $"{o.Status} to {Visible(location)}: expected a refusal (4xx) with a message";
    }

    public static bool IsApiOrFeed(string url)
    {
        var path = PathOf(url);
        return path.StartsWith("/api/", StringComparison.Ordinal) || path.StartsWith("/openapi/", StringComparison.Ordinal) || IsMcp(url) ||
               path.EndsWith(".rss", StringComparison.Ordinal) || path.EndsWith(".atom", StringComparison.Ordinal);
    }

    static bool IsMcp(string url) => PathOf(url) is "/mcp" or "/mcp/";

    static string PathOf(string url) => Uri.TryCreate(new Uri("https://localhost"), url, out var u) ? u.AbsolutePath : url;

    static bool HasJsonError(string body, bool jsonRpc = false)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("error", out var e)) return false;
            if (jsonRpc && e.ValueKind == JsonValueKind.Object && e.TryGetProperty("message", out var m)) e = m;
            return e.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(e.GetString());
        }
        catch (JsonException) { return false; }
    }

    [GeneratedRegex("<p class=\"notice\">(.*?)</p>", RegexOptions.Singleline)]
    private static partial Regex Notice();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tag();

    static bool HasNotice(string html) => Notice().Matches(html).Any(m => Tag().Replace(m.Groups[1].Value, "").Trim().Length > 0);

    /// <summary>ASP.NET Core's own rule for a local redirect target (rejects //host, /\host and control characters).</summary>
    public static bool IsLocalUrl(string url) =>
        new UrlHelper(new ActionContext(new DefaultHttpContext(), new RouteData(), new ActionDescriptor())).IsLocalUrl(url);

    // The cookie handler redirects to an absolute URL on the request's own host.
    static bool IsOwnAbsolute(string url) => Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Host is "localhost" or HostileCases.Evil;

    // ---- the failure message ----

    static string Describe(HostileCase c, Outcome o, List<string> problems)
    {
        var lines = new List<string>
        {
            c.Name,
            $"  {c.Method} {Clip(Visible(c.Url), 200)} as {c.Who}{string.Concat(c.Headers.Select(h => $" + {h.Name}: {Clip(Visible(h.Value), 40)}"))}",
            $"  route {c.Route.Key}, expected {c.Expect}",
            $"  answer {(o.Thrown is null ? o.Status.ToString() : "none (threw)")} {o.ContentType}{(o.Location is null ? "" : " Location: " + Clip(Visible(o.Location), 120))}",
            $"  body: {Clip(Visible(o.Body), 300)}",
        };
        if (Notice().Match(o.Body) is { Success: true } notice) lines.Add("  notice: " + Clip(Visible(Tag().Replace(notice.Groups[1].Value, "").Trim()), 200));
        lines.Add("  problems:");
        lines.AddRange(problems.Select(p => "    - " + p));
        var error = o.ServerErrors.Select(ExceptionSummary).FirstOrDefault(e => e is not null) ?? (o.Thrown is null ? null : ExceptionSummary(o.Thrown.ToString()));
        if (error is not null) lines.Add("  server: " + error);
        return string.Join("\n", lines);
    }

    /// <summary>The exception's first line and the first frame in the app's own code.</summary>
    public static string? ExceptionSummary(string log)
    {
        var lines = log.Split('\n').Select(l => l.Trim()).ToList();
        var exception = lines.FirstOrDefault(l => Regex.IsMatch(l, @"^[\w.]+(Exception|Error)\b"));
        if (exception is null) return null;
        var frame = lines.FirstOrDefault(l => l.StartsWith("at DailyPapers.", StringComparison.Ordinal) && !l.StartsWith("at DailyPapers.Tests", StringComparison.Ordinal))
                    ?? lines.FirstOrDefault(l => l.StartsWith("at ", StringComparison.Ordinal));
        return Clip(exception, 300) + (frame is null ? "" : " | " + Clip(frame, 300));
    }

    static string FirstLine(string s) => s.Split('\n')[0].Trim();

    static string Clip(string s, int max) => s.Length <= max ? s : s[..max] + $"… ({s.Length} chars)";

    static string Visible(string s) => s.Replace("\r", "\\r").Replace("\n", "\\n").Replace("\t", "\\t").Replace("\0", "\\0");
}
