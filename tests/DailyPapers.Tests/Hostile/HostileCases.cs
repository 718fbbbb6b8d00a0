using System.Net.Http.Headers;
using System.Text;

namespace DailyPapers.Tests.Hostile;

/// <summary>Who sends a case: nobody, the admin's API token (passes every role check), or the admin's browser session.</summary>
public enum Who { Anonymous, Bearer, Session }

/// <summary>One hostile request and what it must get. The name is the case's identity in test reports.</summary>
public sealed record HostileCase(string Family, string Name, Route Route, string Method, string Url, Who Who, Expect Expect)
{
    public IReadOnlyList<(string Name, string Value)> Headers { get; init; } = [];
    public Func<HostileApp, HttpContent>? Body { get; init; }
    /// <summary>For SameAsAbsent: the same request with a valid id that names nothing; both must answer alike.</summary>
    public string? ControlUrl { get; init; }
    /// <summary>A spoofed host or forwarded header was sent: no link in the answer may point there.</summary>
    public bool NoEvil { get; init; }
    /// <summary>Fingerprint entries ("table.column", "table.*") the request legitimately changes.</summary>
    public IReadOnlySet<string>? MayChange { get; init; }
    /// <summary>Redirect family: a Location must be a local path by ASP.NET Core's own IsLocalUrl rule.</summary>
    public bool LocalRedirect { get; init; }
}

/// <summary>
/// Every hostile case, generated from the app's route list (Routes) and the lists below. Families: route values,
/// query strings, bodies, headers, redirects. Each case is one request.
/// </summary>
public static class HostileCases
{
    public const string Evil = "evil.example";

    /// <summary>
    /// State-changing routes whose handler reads no body: with real ids, any signed-in request is a valid one and
    /// acts (deletes, hides, upvotes). Signed-in cases whose hostility is not in the route value send these a valid
    /// id that names nothing, so the handler still runs to its lookup but nothing legitimate can change.
    /// A new route of this kind makes the fingerprint check fail until it is listed here.
    /// </summary>
    public static readonly string[] IgnoresBody =
    [
        "POST /api/papers/{id}/upvote",
        "DELETE /api/papers/{id}/upvote",
        "DELETE /api/comments/{id:long}",
        "POST /api/comments/{id:long}/hide",
        "POST /api/admin/users/{id:long}/suspend",
        "POST /api/admin/users/{id:long}/restore",
        "POST /api/admin/claims/{id:long}/approve",
        "POST /api/admin/claims/{id:long}/reject",
        "POST /api/moderation/reports/{id:long}/close",
        "POST /api/papers/{id}/hide",
        "POST /api/papers/{id}/unhide",
        "DELETE /api/collections/{id:long}",
        "DELETE /api/collections/{collection:long}/papers/{id}",
    ];

    /// <summary>
    /// Form routes that act on any well-formed form (the no-script upvote toggles, revoke revokes): well-formed but
    /// odd forms (duplicate fields, a large value) go to an id that names nothing; broken forms still go to the real
    /// one, since a broken form must be refused before anything happens.
    /// </summary>
    public static readonly string[] ActsOnAnyForm = ["POST /papers/{id}/upvote", "POST /account/tokens/{id:long}/revoke"];

    /// <summary>Routes that read date|week|month, p, limit and sort (FeedRequest).</summary>
    public static readonly string[] PeriodRoutes = ["GET /", "GET /papers", "GET /api/daily_papers", "GET /papers.rss", "GET /papers.atom"];

    /// <summary>Routes that read q, mode, limit, from, to, category and has_code (SearchRequest).</summary>
    public static readonly string[] SearchRoutes = ["GET /search", "GET /api/papers/search", "GET /search.rss", "GET /search.atom"];

    /// <summary>Routes that read limit alone (and cursor, for /api/papers).</summary>
    public static readonly string[] LimitRoutes = ["GET /api/papers", "GET /api/trending", "GET /api/for-you", "GET /api/papers/{id}/similar"];

    /// <summary>Routes that read p and limit (Discovery.ListRequest): an author's, an organisation's, a category's papers.</summary>
    public static readonly string[] PagedRoutes =
    [
        "GET /authors/{name}", "GET /authors/{name}.rss", "GET /authors/{name}.atom", "GET /api/authors/{name}",
        "GET /organizations/{organization}", "GET /organizations/{organization}.rss", "GET /organizations/{organization}.atom", "GET /api/organizations/{organization}",
        "GET /categories/{category}", "GET /categories/{category}.rss", "GET /categories/{category}.atom", "GET /api/categories/{category}",
    ];

    /// <summary>Routes that read year (the calendar).</summary>
    public static readonly string[] YearRoutes = ["GET /calendar"];

    /// <summary>Routes that read a signed token from the query; all but the reset form refuse a bad one.</summary>
    public static readonly (string Route, Expect Expect)[] TokenRoutes =
    [
        ("GET /digest/confirm", Expect.Refused), ("GET /digest/preferences", Expect.Refused), ("GET /digest/unsubscribe", Expect.Refused),
        ("POST /digest/unsubscribe", Expect.Refused), ("GET /digest/view", Expect.Refused), ("GET /account/verify", Expect.Refused),
        ("GET /account/reset", Expect.Any),
    ];

    /// <summary>Every route the lists above name: a test checks that each still exists.</summary>
    public static IEnumerable<string> DeclaredRoutes => IgnoresBody.Concat(ActsOnAnyForm).Concat(PeriodRoutes).Concat(SearchRoutes).Concat(LimitRoutes)
        .Concat(PagedRoutes).Concat(YearRoutes).Concat(TokenRoutes.Select(t => t.Route)).Append(RedirectRoute);

    const string RedirectRoute = "POST /papers/{id}/upvote";

    static readonly Lazy<IReadOnlyList<HostileCase>> all = new(() =>
    {
        var cases = RouteValues().Concat(Queries()).Concat(Bodies()).Concat(HeaderCases()).Concat(Redirects()).ToList();
        var duplicate = cases.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidOperationException("two cases share the name " + duplicate.Key);
        return cases;
    });

    static readonly Lazy<Dictionary<string, HostileCase>> byName = new(() => all.Value.ToDictionary(c => c.Name));

    public static IReadOnlyList<HostileCase> All => all.Value;

    public static HostileCase Find(string name) => byName.Value[name];

    public static TheoryData<CaseName> Names(string family) => new(All.Where(c => c.Family == family).Select(c => new CaseName(c.Name)));

    /// <summary>The query a route needs to do its real work (a search needs words); hostile parameters go next to it.</summary>
    static string BaseQuery(Route r) => SearchRoutes.Contains(r.Key) ? "q=agents" : "";

    static string WithQuery(string path, string baseQuery, string query) =>
        path + "?" + string.Join('&', new[] { baseQuery, query }.Where(q => q.Length > 0));

    static IEnumerable<Who> Identities(Route r) => r.SignedInToo ? [Who.Anonymous, Who.Bearer] : [Who.Anonymous];

    static string Name(Route r, string label, Who who) => $"{r.Key} | {label} | {Label(who)}";

    static string Label(Who who) => who switch { Who.Anonymous => "anonymous", Who.Bearer => "API token", _ => "session cookie" };

    /// <summary>The path for a case whose hostility is not in the route value: see IgnoresBody and ActsOnAnyForm.</summary>
    static string PathFor(Route r, Who who, bool wellFormedForm = false) =>
        who == Who.Bearer && (IgnoresBody.Contains(r.PlainKey) || wellFormedForm && ActsOnAnyForm.Contains(r.PlainKey))
            ? r.Path(s => s.Filler.Absent) : r.RealPath;

    // ---- route values ----

    static IEnumerable<HostileCase> RouteValues() =>
        from r in Routes.All.Where(r => r.Unfillable is null)
        from v in HostileValues(r)
        from who in Identities(r)
        select new HostileCase("route value", Name(r, v.Label, who), r, r.Method, v.Url, who, v.Expect) { ControlUrl = v.ControlUrl };

    /// <summary>Each parameter in turn gets each hostile value, the others their real one.</summary>
    static IEnumerable<(string Url, string Label, Expect Expect, string? ControlUrl)> HostileValues(Route r)
    {
        foreach (var slot in r.Slots)
            foreach (var value in slot.Filler.Hostile)
            {
                string Fill(Slot s, string v) => s == slot ? v : s.Filler.Real;
                var control = value.Expect == Expect.SameAsAbsent ? r.Path(s => Fill(s, slot.Filler.Absent)) : null;
                yield return (r.Path(s => Fill(s, value.Raw)), $"{{{slot.Name}}}={value.Label}", value.Expect, control);
            }
    }

    // ---- query strings ----

    static readonly (string Raw, string Label, string[] ValidFor, bool Lenient)[] Dates =
    [
        ("9999-12-31", "9999-12-31", ["date", "from", "to"], false),
        ("0001-01-01", "0001-01-01", ["date", "from", "to"], false),
        ("9999-12", "9999-12", ["month"], false),
        ("0001-01", "0001-01", ["month"], false),
        ("9999-W52", "9999-W52", ["week"], false),
        ("2026-02-30", "2026-02-30", [], false),
        ("2026-13-01", "2026-13-01", [], false),
        ("%2B2026-01-01", "+2026-01-01", [], false),
        // A lenient parser may trim, fold full-width digits or drop a midnight time: refusing is not required.
        ("%202026-01-01", "leading space", [], true),
        (Uri.EscapeDataString("\uFF12\uFF10\uFF12\uFF16-01-01"), "full-width digits", [], true),
        ("2026-01-01T00:00:00", "2026-01-01T00:00:00", [], true),
    ];

    static readonly (string Query, string Label)[] BadLimits =
    [
        ("limit=0", "limit=0"), ("limit=-1", "limit=-1"), ("limit=1e3", "limit=1e3"), ("limit=99999999999", "limit=99999999999"),
        ("limit=%D9%A2", "limit=Arabic-Indic 2"),
    ];

    /// <summary>Years outside 1991-9998 or not a plain number.</summary>
    static readonly (string Query, string Label)[] BadYears =
    [
        ("year=1990", "year=1990"), ("year=9999", "year=9999"), ("year=0", "year=0"), ("year=-2026", "year=-2026"), ("year=2026.5", "year=2026.5"),
        ("year=abc", "year=abc"), ("year=%D9%A2%D9%A0%D9%A2%D9%A6", "year=Arabic-Indic digits"), ("year=99999999999", "year=99999999999"),
        ("year=%202026", "year with a leading space"),
    ];

    static readonly string QLong = new('a', 251);
    static readonly string Q10K = string.Join('+', Enumerable.Repeat("word", 2048));

    static readonly (string Query, string Label, Expect Expect)[] SearchQueries =
    [
        ("q=", "q empty", Expect.Refused),
        ($"q={QLong}", "q 251 characters", Expect.Refused),
        ($"q={Q10K}", "q 10 KB", Expect.Refused),
        ("q=agents%00tools", "q with NUL", Expect.Any),
        ("q=%22", "q=\"", Expect.Any),
        ("q=-", "q=-", Expect.Any),
        ("q=*", "q=*", Expect.Any),
        ("q=title:", "q=title:", Expect.Any),
        ($"q=cat:{new string('x', 200)}", "q=cat: + 200 characters", Expect.Any),
        ("q=NEAR(a%20b)", "q=NEAR(a b)", Expect.Any),
        ("q=a%20OR%20b%20AND", "q=a OR b AND", Expect.Any),
        ("q=agents&category=cs.LG%27%20OR%201%3D1%20--", "category=cs.LG' OR 1=1 --", Expect.Refused),
        ("q=agents&has_code=maybe", "has_code=maybe", Expect.Refused),
        ("q=agents&mode=%F0%9F%99%82", "mode=emoji", Expect.Refused),
    ];

    static readonly (string Query, string Label)[] TokenValues =
    [
        ("token=garbage", "token=garbage"), ($"token={new string('a', 10 * 1024)}", "token 10 KB"), ("token=%00", "token=NUL"),
        ("token=%0D%0ASet-Cookie:%20x=1", "token with CR LF"), ("token=%F0%9F%98%80", "token=emoji"),
    ];

    static readonly string ThousandParameters = string.Join('&', Enumerable.Range(0, 1000).Select(i => $"p{i}={i}"));
    static readonly string RepeatedDate = string.Join('&', Enumerable.Repeat("date=2026-08-21", 100));

    static IEnumerable<HostileCase> Queries()
    {
        foreach (var r in Routes.All.Where(r => r.Unfillable is null))
            foreach (var (query, label, expect, generic) in QueriesFor(r))
                foreach (var who in Identities(r))
                    yield return new HostileCase("query", Name(r, label, who), r, r.Method, WithQuery(PathFor(r, who), generic ? BaseQuery(r) : "", query), who, expect);
    }

    /// <summary>(query, label, expectation, generic): generic ones go to every route, next to the query it needs.</summary>
    static IEnumerable<(string Query, string Label, Expect Expect, bool Generic)> QueriesFor(Route r)
    {
        // Every route: a huge query string, one parameter a hundred times, NUL in a name and a value.
        yield return (ThousandParameters, "1,000 query parameters", Expect.Any, true);
        yield return (RepeatedDate, "date=... repeated 100 times", Expect.Any, true);
        yield return ("%00=%00", "NUL name and value", Expect.Any, true);
        foreach (var (query, label, expect) in SpecificQueries(r)) yield return (query, label, expect, false);
    }

    /// <summary>The parameters a route reads, each with hostile values.</summary>
    static IEnumerable<(string Query, string Label, Expect Expect)> SpecificQueries(Route r)
    {
        if (PeriodRoutes.Contains(r.PlainKey))
        {
            foreach (var key in new[] { "date", "week", "month" })
                foreach (var d in Dates) yield return ($"{key}={d.Raw}", $"{key}={d.Label}", DateExpect(key, d));
            foreach (var (q, label) in BadLimits.Append(("p=-1", "p=-1")).Append(("p=2147483648", "p=2147483648")).Append(("sort=DROP%20TABLE", "sort=DROP TABLE")))
                yield return (q, label, Expect.Refused);
        }
        if (SearchRoutes.Contains(r.PlainKey))
        {
            foreach (var key in new[] { "from", "to" })
                foreach (var d in Dates) yield return ($"q=agents&{key}={d.Raw}", $"{key}={d.Label}", DateExpect(key, d));
            // On the page, an empty box (the header's search submitted as is) is the search form itself, not a mistake;
            // on the API, no query is Hugging Face's "the trending papers" (its own tests ask that). Feeds refuse it.
            foreach (var s in SearchQueries)
                yield return r.PlainKey is "GET /search" or "GET /api/papers/search" && s.Label == "q empty" ? s with { Expect = Expect.Any } : s;
            foreach (var (q, label) in BadLimits) yield return ("q=agents&" + q, label, Expect.Refused);
        }
        if (LimitRoutes.Contains(r.PlainKey))
            foreach (var (q, label) in BadLimits) yield return (q, label, Expect.Refused);
        if (PagedRoutes.Contains(r.PlainKey))
            foreach (var (q, label) in BadLimits.Append(("p=-1", "p=-1")).Append(("p=2147483648", "p=2147483648")).Append(("p=%D9%A2", "p=Arabic-Indic 2")))
                yield return (q, label, Expect.Refused);
        if (YearRoutes.Contains(r.PlainKey))
        {
            foreach (var (q, label) in BadYears) yield return (q, label, Expect.Refused);
            // .NET's number parsing ignores trailing NULs (2026\0 reads as 2026), as for p and limit: no refusal required.
            yield return ("year=2026%00", "year with NUL", Expect.Any);
        }
        if (r.Key == "GET /api/papers")
        {
            yield return ("cursor=garbage", "cursor=garbage", Expect.Refused);
            yield return ($"cursor={new string('Q', 10_000)}", "cursor 10,000 characters", Expect.Refused);
        }
        if (TokenRoutes.FirstOrDefault(t => t.Route == r.PlainKey) is { Route: not null } token)
            foreach (var (q, label) in TokenValues) yield return (q, label, token.Expect);
    }

    static Expect DateExpect(string key, (string Raw, string Label, string[] ValidFor, bool Lenient) d) =>
        d.ValidFor.Contains(key) || d.Lenient ? Expect.Any : Expect.Refused;

    // ---- bodies ----

    static readonly string OneMegabyteJson = "{\"body\": \"" + new string('a', 1024 * 1024) + "\"}";
    static readonly string DeepJson = string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000);
    const string WrongTypes = """
        {"body": 1, "name": 2, "email": 3, "kind": 4, "value": 5, "arxivId": 6, "url": 7, "authorName": 8, "reason": 9,
         "target": 10, "comment": 11, "isPublic": "yes", "parentId": "x", "role": 12, "cadence": 13, "count": "ten",
         "topics": "cs", "githubRepo": 14, "projectPage": 15}
        """;
    static readonly string FiveThousandFields = string.Join('&', Enumerable.Range(0, 5000).Select(i => $"f{i}={i}"));
    static readonly string TwoMegabyteValue = "body=" + new string('a', 2 * 1024 * 1024);
    static readonly string HundredKilobyteKey = new string('k', 100 * 1024) + "=v";
    const string DuplicateFields = "email=a%40example.org&email=b%40example.org&name=Ada&name=Bob&password=correct+horse+battery&password=another+horse+battery" +
        "&token=a&token=b&back=%2Fa&back=%2Fb&body=first&body=second&cadence=daily&cadence=weekly&count=5&count=10&parentId=1&parentId=2" +
        "&__RequestVerificationToken=a&__RequestVerificationToken=b";
    const string BrokenMultipart = "--XYZ\r\nContent-Disposition: form-data; name=\"body\"\r\n\r\nno closing boundary";

    /// <summary>(label, body, refusal required, well-formed form): JSON-ish bodies go to every POST/PATCH/DELETE.</summary>
    static readonly (string Label, Func<HttpContent> Body, Expect Expect)[] JsonBodies =
    [
        ("invalid JSON", () => Content("{\"body\": \"x\",", "application/json"), Expect.Refused),
        ("JSON array instead of object", () => Content("[{\"body\": \"x\"}]", "application/json"), Expect.Refused),
        ("1 MB JSON string value", () => Content(OneMegabyteJson, "application/json"), Expect.Refused),
        ("JSON nested 10,000 levels", () => Content(DeepJson, "application/json"), Expect.Refused),
        ("JSON with wrong types", () => Content(WrongTypes, "application/json"), Expect.Refused),
        ("text/plain body", () => Content("not json at all", "text/plain"), Expect.Refused),
        ("empty body", () => Content("", "application/json"), Expect.Refused),
        // {} is valid JSON that sets nothing: a route may accept it, but it must not crash on the header.
        ("Content-Length 1,000,000 with a 2-byte body", () => OverLong("{}"), Expect.Any),
        ("Content-Type charset=utf-99", () => Content("{}", "application/json; charset=utf-99"), Expect.Any),
    ];

    static readonly (string Label, Func<HttpContent> Body, Expect Expect, bool WellFormed)[] FormBodies =
    [
        ("multipart/form-data without boundary", () => Content("body=x", "multipart/form-data"), Expect.Refused, false),
        ("multipart with a broken body", () => Content(BrokenMultipart, "multipart/form-data; boundary=XYZ"), Expect.Refused, false),
        ("chunked form with 5,000 fields", () => new ChunkedContent(FiveThousandFields, Form), Expect.Refused, false),
        ("url-encoded form with a 100 KB key", () => Content(HundredKilobyteKey, Form), Expect.Refused, false),
        // Well-formed: the framework's default limits accept them, so a route may too; nothing may change.
        ("chunked form with one 2 MB value", () => new ChunkedContent(TwoMegabyteValue, Form), Expect.Any, true),
        ("duplicate form fields", () => Content(DuplicateFields, Form), Expect.Any, true),
    ];

    const string Form = "application/x-www-form-urlencoded";

    static IEnumerable<HostileCase> Bodies()
    {
        foreach (var r in Routes.All.Where(r => r.Unfillable is null && r.TakesBody))
            foreach (var who in Identities(r))
            {
                foreach (var (label, body, expect) in JsonBodies)
                    yield return new HostileCase("body", Name(r, label, who), r, r.Method, PathFor(r, who), who, expect) { Body = _ => body() };
                if (!r.IsForm) continue;
                foreach (var (label, body, expect, wellFormed) in FormBodies)
                    yield return new HostileCase("body", Name(r, label, who), r, r.Method, PathFor(r, who, wellFormed), who, expect) { Body = _ => body() };
            }
    }

    static HttpContent Content(string text, string type)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        content.Headers.TryAddWithoutValidation("Content-Type", type);
        return content;
    }

    static HttpContent OverLong(string text)
    {
        var content = Content(text, "application/json");
        content.Headers.ContentLength = 1_000_000;
        return content;
    }

    /// <summary>A body of unknown length: HttpClient sends it chunked, with no Content-Length for the server to check.</summary>
    sealed class ChunkedContent : HttpContent
    {
        readonly byte[] bytes;

        public ChunkedContent(string text, string type)
        {
            bytes = Encoding.UTF8.GetBytes(text);
            Headers.ContentType = MediaTypeHeaderValue.Parse(type);
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    // ---- headers ----

    static readonly string TenKilobytes = new('A', 10 * 1024);

    static IEnumerable<HostileCase> HeaderCases()
    {
        foreach (var r in Routes.All.Where(r => r.Unfillable is null))
        {
            var path = BaseQuery(r) is { Length: > 0 } q ? r.RealPath + "?" + q : r.RealPath;
            HostileCase Make(string label, Who who, Expect expect, params (string, string)[] headers) =>
                new("header", Name(r, label, who), r, r.Method, path, who, expect) { Headers = headers };
            // The request's own Host, as a client or a proxy could send it.
            yield return new HostileCase("header", Name(r, "Host: evil.example", Who.Anonymous), r, r.Method, $"https://{Evil}{path}", Who.Anonymous, Expect.Any) { NoEvil = true };
            yield return Make("X-Forwarded-For/Host/Proto spoofed", Who.Anonymous, Expect.Any,
                ("X-Forwarded-For", "203.0.113.7"), ("X-Forwarded-Host", Evil), ("X-Forwarded-Proto", "http")) with { NoEvil = true };
            yield return Make("Authorization: Bearer + 10 KB", Who.Anonymous, Expect.Any, ("Authorization", "Bearer " + TenKilobytes));
            yield return Make("Authorization: Bearer dp_garbage", Who.Anonymous, Expect.Any, ("Authorization", "Bearer dp_garbage!@#$%^&*()"));
            yield return Make("Authorization: Basic", Who.Anonymous, Expect.Any, ("Authorization", "Basic YWRtaW46YWRtaW4="));
            yield return Make("Cookie: dp_session=garbage", Who.Anonymous, Expect.Any, ("Cookie", "dp_session=garbage"));
            yield return Make("Accept-Language garbage", Who.Anonymous, Expect.Any, ("Accept-Language", "xx-!!;q=abc,,;q=-1,*;q=99999999999999999999,en-US;q=1e9"));
            // With a real session, a forged or oversized antiforgery header must stop every state change.
            yield return Make("X-CSRF-Token 10 KB", Who.Session, r.Method == "GET" ? Expect.Any : Expect.Refused, ("X-CSRF-Token", TenKilobytes));
        }
    }

    // ---- redirects ----

    static readonly (string Back, string Label)[] Backs =
    [
        ("//evil.example/", "//evil.example/"), ("/\\evil.example/", "/\\evil.example/"), ("/\t/evil.example", "/TAB/evil.example"),
        ("/%09/evil.example", "/%09/evil.example"), ("/\\/evil.example", "/\\/evil.example"), ("https://evil.example", "https://evil.example"),
        ("/ok%0D%0ASet-Cookie:%20x=1", "/ok%0D%0ASet-Cookie: x=1"), ("/ok\r\nSet-Cookie: x=1", "raw CR LF"),
    ];

    /// <summary>
    /// The no-script upvote form, signed in with its antiforgery token, returns to `back`. The vote toggles (that is
    /// the request's purpose), so votes and the paper's vote count and score may change; nothing else may.
    /// </summary>
    static IEnumerable<HostileCase> Redirects()
    {
        var r = Routes.Find(RedirectRoute);
        var changes = new HashSet<string> { "votes.*", "papers.local_upvotes", "papers.trending", "papers.trending_at" };
        foreach (var (back, label) in Backs)
            yield return new HostileCase("redirect", Name(r, "back=" + label, Who.Session), r, r.Method, r.RealPath, Who.Session, Expect.Any)
            {
                Body = app => new FormUrlEncodedContent(new Dictionary<string, string> { ["back"] = back, ["__RequestVerificationToken"] = app.FormToken }),
                MayChange = changes,
                LocalRedirect = true,
            };
    }
}

/// <summary>
/// A case's name as a theory argument. xunit cuts string arguments to 50 characters in test names, which would
/// leave hundreds of cases looking alike; a serializable type shows its ToString whole.
/// </summary>
public sealed class CaseName : Xunit.Abstractions.IXunitSerializable
{
    public string Value { get; private set; } = "";

    public CaseName() { }

    public CaseName(string value) => Value = value;

    public void Deserialize(Xunit.Abstractions.IXunitSerializationInfo info) => Value = info.GetValue<string>("name");

    public void Serialize(Xunit.Abstractions.IXunitSerializationInfo info) => info.AddValue("name", Value);

    public override string ToString() => Value;
}
