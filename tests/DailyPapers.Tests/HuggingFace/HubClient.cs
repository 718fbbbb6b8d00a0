using System.Globalization;
using System.Net;
using System.Text.Json;

namespace DailyPapers.Tests.HuggingFace;

/// <summary>A user as huggingface_hub's User(**submitted_by) reads one: "user" is the user name.</summary>
public sealed record HubUser(string Username, string Fullname, string AvatarUrl, string? UserType);

/// <summary>
/// huggingface_hub's PaperInfo, built the way its __init__ builds it (hf_api.py): paper fields first, then the
/// entry's; title only from the top level; comments from numComments, then overwritten by any leftover key of the
/// same name ("forward compatibility": self.__dict__.update(**kwargs)), which is why our arXiv comment string must
/// not be called "comments".
/// </summary>
public sealed record PaperInfo(string? Id, IReadOnlyList<string?>? Authors, DateTime? PublishedAt, string? Title, string? Source,
    string? Summary, int? Upvotes, string? DiscussionId, JsonElement Comments, DateTime? SubmittedAt, HubUser? SubmittedBy,
    IReadOnlyDictionary<string, JsonElement> Extra)
{
    public static PaperInfo From(JsonElement item, Func<string, DateTime> parse)
    {
        var kwargs = item.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        var paper = Pop(kwargs, "paper") is { ValueKind: JsonValueKind.Object } p ? p.EnumerateObject().ToDictionary(x => x.Name, x => x.Value) : [];
        var id = Str(Pop(kwargs, "id")) ?? Str(Pop(paper, "id"));
        var authors = Truthy(Pop(paper, "authors")) ?? Truthy(Pop(kwargs, "authors"));
        var published = Str(Pop(paper, "publishedAt")) ?? Str(Pop(kwargs, "publishedAt"));
        var title = Str(Pop(kwargs, "title"));
        var source = Str(Pop(kwargs, "source"));
        var summary = Str(Pop(paper, "summary")) ?? Str(Pop(kwargs, "summary"));
        var upvotes = Int(Pop(paper, "upvotes")) ?? Int(Pop(kwargs, "upvotes"));
        var discussion = Str(Pop(paper, "discussionId")) ?? Str(Pop(kwargs, "discussionId"));
        var comments = Pop(kwargs, "numComments") ?? JsonSerializer.SerializeToElement(0);
        var submitted = Str(Pop(kwargs, "publishedAt")) ?? Str(Pop(kwargs, "submittedOnDailyAt"));
        var by = Truthy(Pop(kwargs, "submittedBy")) ?? Truthy(Pop(kwargs, "submittedOnDailyBy"));
        if (kwargs.TryGetValue("comments", out var leftover)) comments = leftover;
        return new PaperInfo(id, authors?.EnumerateArray().Select(a => Str(a.TryGetProperty("name", out var n) ? n : default)).ToList(),
            published is null ? null : parse(published), title, source, summary, upvotes, discussion, comments,
            submitted is null ? null : parse(submitted), by is { } u ? User(u) : null, kwargs);
    }

    static HubUser User(JsonElement u) => new(Str(Get(u, "user")) ?? "", Str(Get(u, "fullname")) ?? "", Str(Get(u, "avatarUrl")) ?? "", Str(Get(u, "type")));

    static JsonElement? Pop(Dictionary<string, JsonElement> d, string key) => d.Remove(key, out var v) ? v : null;
    static JsonElement? Get(JsonElement o, string key) => o.TryGetProperty(key, out var v) ? v : null;
    static string? Str(JsonElement? v) => v is { ValueKind: JsonValueKind.String } s && s.GetString() is { Length: > 0 } t ? t : null;
    static int? Int(JsonElement? v) => v is { ValueKind: JsonValueKind.Number } n && n.GetInt32() != 0 ? n.GetInt32() : null;
    // Python's "x or y": empty lists, empty objects and null are falsy.
    static JsonElement? Truthy(JsonElement? v) => v is { ValueKind: JsonValueKind.Array } a && a.GetArrayLength() > 0 ? a
        : v is { ValueKind: JsonValueKind.Object } o && o.EnumerateObject().Any() ? o : null;
}

/// <summary>An HTTP error as hf_raise_for_status raises it: the status is what callers look at.</summary>
public sealed class HubHttpError(HttpStatusCode status, string body) : Exception($"{(int)status}: {body}")
{
    public HttpStatusCode Status { get; } = status;
}

/// <summary>
/// HfApi's paper methods (list_daily_papers, list_papers, paper_info) over our server, sending what they send.
/// Every timestamp is parsed by both of huggingface_hub's rules, so a response either one refuses fails the test.
/// </summary>
public sealed class HubClient(HttpClient http)
{
    public async Task<List<PaperInfo>> ListDailyPapersAsync(string? date = null, string? week = null, string? month = null,
        string? submitter = null, string? sort = null, int? p = null, int? limit = null)
    {
        var query = new Dictionary<string, string?> { ["date"] = date, ["week"] = week, ["month"] = month, ["submitter"] = submitter,
            ["sort"] = sort, ["p"] = p?.ToString(CultureInfo.InvariantCulture), ["limit"] = limit?.ToString(CultureInfo.InvariantCulture) };
        return await ListAsync("/api/daily_papers", query);
    }

    /// <summary>list_papers: the query goes as q only when given ("if query: params['q'] = query").</summary>
    public Task<List<PaperInfo>> ListPapersAsync(string? query = null) =>
        ListAsync("/api/papers/search", new() { ["q"] = string.IsNullOrEmpty(query) ? null : query });

    public async Task<PaperInfo> PaperInfoAsync(string id) => PaperInfo.From(await GetAsync($"/api/papers/{id}"), Timestamps.Both);

    async Task<List<PaperInfo>> ListAsync(string path, Dictionary<string, string?> query)
    {
        var given = query.Where(kv => kv.Value is not null).Select(kv => $"{kv.Key}={Uri.EscapeDataString(kv.Value!)}");
        var json = await GetAsync(path + "?" + string.Join('&', given));
        return json.EnumerateArray().Select(item => PaperInfo.From(item, Timestamps.Both)).ToList();
    }

    async Task<JsonElement> GetAsync(string url)
    {
        var response = await http.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new HubHttpError(response.StatusCode, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}

/// <summary>huggingface_hub's two readings of a server timestamp (utils/_datetime.py, before and after 2024).</summary>
public static class Timestamps
{
    /// <summary>
    /// The older parse_datetime: strptime("%Y-%m-%dT%H:%M:%S.%fZ"), a fraction of 1 to 6 digits required, "Z"
    /// required; a 30-character (nanosecond) string is cut to microseconds first.
    /// </summary>
    public static DateTime Strict(string s)
    {
        if (s.Length == 30) s = s[..^4] + "Z";
        var m = System.Text.RegularExpressions.Regex.Match(s, @"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\.(\d{1,6})Z\z");
        if (!m.Success) throw new FormatException($"Cannot parse '{s}' as a datetime: expected '%Y-%m-%dT%H:%M:%S.%fZ'");
        return Exact(m.Groups[1].Value, m.Groups[2].Value.PadRight(6, '0'));
    }

    /// <summary>The current parse_datetime: a missing fraction becomes .000000, a longer one is cut to 6 digits.</summary>
    public static DateTime Normalising(string s)
    {
        if (!s.EndsWith('Z')) throw new FormatException($"Cannot parse '{s}' as a datetime");
        var body = s[..^1];
        var dot = body.IndexOf('.');
        var (whole, fraction) = dot < 0 ? (body, "") : (body[..dot], body[(dot + 1)..]);
        if (fraction.Length > 0 && !fraction.All(char.IsAsciiDigit)) throw new FormatException($"Cannot parse '{s}' as a datetime");
        return Exact(whole, (fraction.Length > 6 ? fraction[..6] : fraction).PadRight(6, '0'));
    }

    /// <summary>Both rules, which must agree: what the tests' PaperInfo uses.</summary>
    public static DateTime Both(string s)
    {
        var strict = Strict(s);
        Assert.Equal(strict, Normalising(s));
        return strict;
    }

    static DateTime Exact(string whole, string micros) =>
        DateTime.ParseExact($"{whole}.{micros}", "yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
}
