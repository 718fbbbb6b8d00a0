using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace DailyPapers.Tests.Hostile;

/// <summary>What a hostile value should get: refused (4xx), the same answer as a valid id that is not stored, or anything but a 5xx.</summary>
public enum Expect { Refused, SameAsAbsent, Any }

public sealed record HostileValue(string Raw, string Label, Expect Expect);

/// <summary>
/// How to fill one kind of route parameter: a value that names a stored row (the suite's data is seeded so that it
/// does), a valid one that names nothing, and the hostile ones. Raw values go into the path as they are, already
/// percent-encoded where needed.
/// </summary>
public sealed record Filler(string Kind, string Real, string Absent, IReadOnlyList<HostileValue> Hostile);

/// <summary>One route parameter: its filler and, for a catch-all with a regex constraint, the tail that satisfies it.</summary>
public sealed record Slot(string Name, Filler Filler, string Suffix);

/// <summary>One endpoint of the app, as its EndpointDataSource lists it.</summary>
public sealed record Route(string Method, string Pattern, RoutePattern Parsed, bool RequiresAccount, IReadOnlyList<Slot> Slots, string? Unfillable)
{
    public string Key => $"{Method} {Pattern}";

    /// <summary>
    /// The key without the archive segment: each paper route also has an old-style variant, {archive:archive}/{id}
    /// (math/0601001); the suite's lists name a route once for both.
    /// </summary>
    public string PlainKey => Key.Replace("{archive:archive}/", "", StringComparison.Ordinal);

    /// <summary>Hostile input should reach the handler, not stop at 401: these are also sent with an API token.</summary>
    public bool SignedInToo => RequiresAccount || Method != "GET";

    public bool TakesBody => Method is "POST" or "PUT" or "PATCH" or "DELETE";

    /// <summary>Browser forms post here: POSTs outside /api.</summary>
    public bool IsForm => Method == "POST" && !Pattern.StartsWith("/api/", StringComparison.Ordinal);

    /// <summary>The path with each parameter replaced by the raw value the function gives for its slot.</summary>
    public string Path(Func<Slot, string> value)
    {
        var sb = new StringBuilder();
        foreach (var segment in Parsed.PathSegments)
        {
            sb.Append('/');
            foreach (var part in segment.Parts)
                sb.Append(part switch
                {
                    RoutePatternLiteralPart literal => literal.Content,
                    RoutePatternSeparatorPart separator => separator.Content,
                    RoutePatternParameterPart parameter => Slots.Single(s => s.Name == parameter.Name) is var slot ? value(slot) + slot.Suffix : "",
                    _ => throw new InvalidOperationException("unknown route part"),
                });
        }
        return sb.Length == 0 ? "/" : sb.ToString();
    }

    public string RealPath => Path(s => s.Filler.Real);
}

/// <summary>
/// The app's own route list, read from its EndpointDataSource, with every parameter matched to a filler by its name
/// and constraint. A route added later is covered without touching the suite; one whose parameters no filler
/// knows is marked Unfillable, and a test fails on it.
/// </summary>
public static class Routes
{
    // The seeded data (HostileApp) makes these real: papers 2608.19880 and astro-ph/0601001 exist, and row 1
    // exists in every table.
    public const string RealPaper = "2608.19880";
    public const string AbsentPaper = "2101.00001";
    public const string RealOldStyle = "astro-ph/0601001";

    public static readonly Filler ArxivIds = new("arXiv id", RealPaper, AbsentPaper,
    [
        new("2608.19880v1%D9%A2", "Arabic-Indic digit in the version", Expect.Refused),
        new("%D9%A2%D9%A0%D9%A2%D9%A6.00001", "Arabic-Indic digits", Expect.Refused),
        new("1234.56789", "id-shaped, impossible month", Expect.SameAsAbsent),
        new("2608.19880v0", "version 0", Expect.Refused),
        new("2608." + new string('1', 295), "300 characters", Expect.Refused),
        new("..%2F..%2Fetc%2Fpasswd", "encoded path traversal", Expect.Refused),
        new("%00", "NUL", Expect.Refused),
        new("%0D%0A", "CR LF", Expect.Refused),
        new("math/0601001", "old-style id not stored", Expect.SameAsAbsent),
        new("%F0%9F%98%80", "emoji", Expect.Refused),
        new("2608.19880%0D%0ASet-Cookie:%20x=1", "percent-encoded CR LF header injection", Expect.Refused),
    ]);

    public static readonly Filler LongIds = new("long id", "1", "999999",
    [
        new("0", "0", Expect.Refused),
        new("-1", "-1", Expect.Refused),
        new("99999999999999999999", "beyond long", Expect.Refused),
        new("abc", "not a number", Expect.Refused),
    ]);

    /// <summary>The archive of an old-style id route ({archive:archive}/{id}); anything else there matches no route.</summary>
    public static readonly Filler Archives = new("archive", "astro-ph", "math",
    [
        new("2608.19880", "a new-style id where the archive goes", Expect.Refused),
        new("ASTRO-PH", "upper case", Expect.Refused),
        new("%00", "NUL", Expect.Refused),
        new("a%2Fb", "encoded slash", Expect.Refused),
        new("%F0%9F%98%80", "emoji", Expect.Refused),
    ]);

    /// <summary>The number of an old-style id, after its archive.</summary>
    public static readonly Filler OldStyleNumbers = new("old-style number", "0601001", "0601999",
    [
        new("060100%D9%A2", "Arabic-Indic digit", Expect.Refused),
        new("12345678", "eight digits", Expect.Refused),
        new("9913999", "id-shaped, impossible month", Expect.SameAsAbsent),
        new("0601001v1%D9%A2", "Arabic-Indic digit in the version", Expect.Refused),
    ]);

    /// <summary>/media/{key}: a remote copy's key, 64 lower-case hex digits; a well-formed one not stored answers a placeholder.</summary>
    public static readonly Filler MediaKeys = new("media key", new string('a', 64), new string('b', 64),
    [
        new(new string('A', 64), "upper-case hex", Expect.Refused),
        new(new string('a', 63), "63 digits", Expect.Refused),
        new("thumbnail%3A2608.19880", "a thumbnail's key", Expect.Refused),
        new("..%2F..%2Fetc%2Fpasswd", "encoded path traversal", Expect.Refused),
        new("%00", "NUL", Expect.Refused),
        new("%F0%9F%98%80", "emoji", Expect.Refused),
    ]);

    /// <summary>
    /// An author's name (/authors/{name}): any text that is a name; one naming nobody is a 404 like an absent one.
    /// Chengsong Huang is the first author of the seeded paper 2608.19880. LIKE's own characters must match no one.
    /// </summary>
    public static readonly Filler AuthorNames = new("author name", "Chengsong%20Huang", "Ada%20Lovelace",
    [
        new(new string('a', 300), "300 characters", Expect.Refused),
        new("%00", "NUL", Expect.Refused),
        new("%0D%0A", "CR LF", Expect.Refused),
        new("Chengsong%20Huang%0D%0ASet-Cookie:%20x=1", "percent-encoded CR LF header injection", Expect.Refused),
        new("%20%20", "only spaces", Expect.Refused),
        new("%25", "LIKE's %", Expect.SameAsAbsent),
        new("_", "LIKE's _", Expect.SameAsAbsent),
        new("%25Huang", "LIKE's % before a real surname", Expect.SameAsAbsent),
        new("%27%20OR%201%3D1%20--", "SQL injection", Expect.SameAsAbsent),
        new("..%2F..%2Fetc%2Fpasswd", "encoded path traversal", Expect.SameAsAbsent),
        new("%C3%89mile%20Zola", "accented name of no one", Expect.SameAsAbsent),
        new("%EF%BC%A3hengsong%20Huang", "full-width letter", Expect.SameAsAbsent),
        new("%E2%80%AEgnauH%20gnosgnehC", "right-to-left override", Expect.SameAsAbsent),
        new("%F0%9F%98%80", "emoji", Expect.SameAsAbsent),
    ]);

    /// <summary>An organisation's Hugging Face handle (/organizations/{organization}): google lists 2608.19880.</summary>
    public static readonly Filler Organizations = new("organization", "google", "no-such-org",
    [
        new(new string('a', 300), "300 characters", Expect.Refused),
        new("%00", "NUL", Expect.Refused),
        new("%0D%0A", "CR LF", Expect.Refused),
        new("google%27%20OR%201%3D1%20--", "SQL injection", Expect.Refused),
        new("%25", "LIKE's %", Expect.Refused),
        new("-google", "leading dash", Expect.Refused),
        new("..%2F..%2Fetc%2Fpasswd", "encoded path traversal", Expect.Refused),
        new("g%C3%B6ogle", "non-ASCII letter", Expect.Refused),
        new("%F0%9F%98%80", "emoji", Expect.Refused),
        new("GOOGLE", "upper case", Expect.Any),
    ]);

    /// <summary>
    /// An arXiv category or archive (/categories/{category}), read by ArxivCategory: astro-ph holds the seeded
    /// astro-ph/0601001; a valid category with no papers is an empty list, not an error.
    /// </summary>
    public static readonly Filler Categories = new("category", "astro-ph", "cs.LG",
    [
        new(new string('a', 300), "300 characters", Expect.Refused),
        new("%00", "NUL", Expect.Refused),
        new("%0D%0A", "CR LF", Expect.Refused),
        new("cs.LG%27%20OR%201%3D1%20--", "SQL injection", Expect.Refused),
        new("cs.", "archive and a dot", Expect.Refused),
        new("%25", "LIKE's %", Expect.Refused),
        new("cs.LG.x", "three parts", Expect.Refused),
        new("..%2F..%2Fetc%2Fpasswd", "encoded path traversal", Expect.Refused),
        new("%F0%9F%98%80", "emoji", Expect.Refused),
        new("cs.lg", "lower case", Expect.SameAsAbsent),
    ]);

    /// <summary>A period in Hugging Face's addresses (/papers/date/{date}, /week/{week}, /month/{month}), redirected to ours.</summary>
    static Filler Period(string kind, string real, string absent, string impossible) => new(kind, real, absent,
    [
        new(impossible, "impossible " + kind, Expect.Refused),
        new(new string('9', 300), "300 characters", Expect.Refused),
        new("%00", "NUL", Expect.Refused),
        new("%0D%0A", "CR LF", Expect.Refused),
        new(real + "%0D%0ALocation:%20https://evil.example", "percent-encoded CR LF header injection", Expect.Refused),
        new("%2F%2Fevil.example", "protocol-relative URL", Expect.Refused),
        new("..%2F..%2Fetc%2Fpasswd", "encoded path traversal", Expect.Refused),
        new("%D9%A2%D9%A0%D9%A2%D9%A6-08-21", "Arabic-Indic digits", Expect.Refused),
        new("%F0%9F%98%80", "emoji", Expect.Refused),
    ]);

    public static readonly Filler Dates = Period("date", "2026-08-21", "2020-01-01", "2026-13-45");
    public static readonly Filler Weeks = Period("week", "2026-W34", "2020-W01", "2026-W60");
    public static readonly Filler Months = Period("month", "2026-08", "2020-01", "2026-00");

    // /openapi/{documentName}.json: the framework's document route; only "v1" exists.
    public static readonly Filler DocumentNames = new("document name", "v1", "v9", ArxivIds.Hostile.Select(h => h with { Expect = Expect.Refused }).ToList());

    static readonly Lazy<IReadOnlyList<Route>> all = new(Read);

    public static IReadOnlyList<Route> All => all.Value;

    public static Route Find(string key) => All.SingleOrDefault(r => r.Key == key)
        ?? throw new InvalidOperationException($"the app has no route {key}; update the suite's lists");

    // Read once per process from a bare instance of the app: test discovery needs the list before any fixture exists.
    static IReadOnlyList<Route> Read()
    {
        var app = new AppFactory();
        try
        {
            return app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
                .SelectMany(e => Methods(e).Select(m => Describe(m, e)))
                .OrderBy(r => r.Pattern, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal).ToList();
        }
        finally { app.DisposeAsync().AsTask().GetAwaiter().GetResult(); }
    }

    static IEnumerable<string> Methods(RouteEndpoint e) => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"];

    public static Route Describe(string method, RouteEndpoint e)
    {
        var slots = new List<Slot>();
        string? unfillable = null;
        var archived = e.RoutePattern.Parameters.Any(p => p.Name == "archive");
        foreach (var p in e.RoutePattern.Parameters)
        {
            if (SlotFor(p, archived, out var slot, out var why)) slots.Add(slot);
            else unfillable = (unfillable is null ? "" : unfillable + "; ") + why;
        }
        var requires = e.Metadata.GetOrderedMetadata<IAuthorizeData>().Count > 0 && e.Metadata.GetMetadata<IAllowAnonymous>() is null;
        return new Route(method, e.RoutePattern.RawText ?? "?", e.RoutePattern, requires, slots, unfillable);
    }

    /// <summary>A filler by constraint first (long), then by name; a regex constraint is satisfied with a literal tail.</summary>
    static bool SlotFor(RoutePatternParameterPart p, bool archived, out Slot slot, out string why)
    {
        slot = null!;
        why = "";
        var policies = p.ParameterPolicies.Select(x => x.Content ?? "").ToList();
        var regex = policies.FirstOrDefault(x => x.StartsWith("regex(", StringComparison.Ordinal));
        var others = policies.Where(x => x != regex && x is not ("long" or "int" or "archive")).ToList();
        Filler? filler = policies.Any(x => x is "long" or "int") ? LongIds
            : p.Name == "documentName" ? DocumentNames
            : p.Name == "key" ? MediaKeys
            : p.Name == "archive" ? Archives
            : archived && p.Name == "id" ? OldStyleNumbers
            : p.IsCatchAll || p.Name is "id" or "paperId" or "path" ? ArxivIds
            : p.Name == "name" ? AuthorNames
            : p.Name == "organization" ? Organizations
            : p.Name == "category" ? Categories
            : p.Name == "date" ? Dates
            : p.Name == "week" ? Weeks
            : p.Name == "month" ? Months : null;
        if (filler is null || others.Count > 0)
        {
            why = $"no filler for parameter {{{p.Name}}}{(others.Count > 0 ? " with " + string.Join(",", others) : "")}";
            return false;
        }
        var suffix = "";
        if (regex is not null && !TrySuffix(regex[6..^1], filler.Real, out suffix))
        {
            why = $"cannot satisfy {regex} on {{{p.Name}}}";
            return false;
        }
        slot = new Slot(p.Name, filler, suffix);
        return true;
    }

    /// <summary>
    /// The tail that makes a value match a route's regex, for patterns that are literals with alternations:
    /// "/upvote$" gives "/upvote", "/(hide|unhide)$" gives "/hide". Checked against the regex as the router applies it.
    /// </summary>
    static bool TrySuffix(string pattern, string real, out string suffix)
    {
        var literal = Regex.Replace(pattern.TrimStart('^').TrimEnd('$'), @"\(([^()|]*)(\|[^()]*)?\)", "$1");
        suffix = literal;
        if (Regex.IsMatch(literal, @"[\\\[\]{}()*+?|^$]")) return false;
        return Regex.IsMatch(real + literal, pattern, RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
    }
}
