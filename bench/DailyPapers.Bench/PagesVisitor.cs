using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

/// <summary>
/// One reader's browser for the pages bench: one keep-alive connection, its own cookies, redirects not followed.
/// Cookies are kept by hand because the session cookie is Secure outside Development, and HttpClient's cookie
/// container never sends a Secure cookie over the plain http of a loopback bench.
/// </summary>
sealed partial class PagesVisitor : IDisposable
{
    readonly HttpClient client;
    readonly Dictionary<string, string> cookies = new();
    string? csrf; // the signed-in reader's antiforgery token: one serves every API call of the session

    public PagesVisitor(Uri site)
    {
        // One connection, never recycled: every timed request reuses it, as a reader's browser does.
        var handler = new SocketsHttpHandler
        {
            UseCookies = false, AllowAutoRedirect = false, MaxConnectionsPerServer = 1,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
        };
        client = new HttpClient(handler) { BaseAddress = site, Timeout = TimeSpan.FromSeconds(60) };
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    /// <summary>One GET, timed from sending to the last byte of the body: the status, the milliseconds and the bytes.</summary>
    public async Task<(HttpStatusCode Status, double Ms, int Bytes)> TimeGetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        var clock = Stopwatch.StartNew();
        using var response = await SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        return (response.StatusCode, clock.Elapsed.TotalMilliseconds, body.Length);
    }

    /// <summary>
    /// Signs up through the app's own form (the first account of a hub is its admin) and signs in, each form
    /// posted with the antiforgery token of the page it is on, as a browser does.
    /// </summary>
    public async Task SignUpAndInAsync(string email, string password)
    {
        await PostFormAsync("/account/signup", new() { ["email"] = email, ["name"] = "Bench Reader", ["password"] = password });
        await PostFormAsync("/account/signin", new() { ["email"] = email, ["password"] = password });
        if (!cookies.ContainsKey("dp_session")) throw new InvalidOperationException("signed in, but no session cookie came back");
    }

    /// <summary>A JSON API call with the session cookie and its X-CSRF-Token, as the pages' script makes it; 2xx or it throws.</summary>
    public async Task<JsonElement?> ApiAsync(string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-CSRF-Token", csrf ??= await TokenAsync("/account"));
        using var response = await SendAsync(request);
        await EnsureAsync(response, $"POST {path}");
        var text = await response.Content.ReadAsStringAsync();
        if (text.Length == 0) return null;
        using var json = JsonDocument.Parse(text);
        return json.RootElement.Clone();
    }

    async Task PostFormAsync(string path, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = await TokenAsync(path);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        using var response = await SendAsync(request);
        if (response.StatusCode != HttpStatusCode.Found && response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode}, expected a redirect");
    }

    async Task<string> TokenAsync(string page)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, page));
        await EnsureAsync(response, $"GET {page}");
        var token = TokenPattern().Match(await response.Content.ReadAsStringAsync()).Groups[1].Value;
        return token.Length > 0 ? token : throw new InvalidOperationException($"no antiforgery token on {page}");
    }

    async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        if (cookies.Count > 0) request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}")));
        var response = await client.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var set)) foreach (var line in set) Keep(line);
        return response;
    }

    // name=value; path=/; ... — attributes do not matter to one reader of one site; an empty value is a deletion.
    void Keep(string setCookie)
    {
        var pair = setCookie.Split(';', 2)[0];
        var at = pair.IndexOf('=');
        if (at <= 0) return;
        var (name, value) = (pair[..at].Trim(), pair[(at + 1)..].Trim());
        if (value.Length == 0) cookies.Remove(name);
        else cookies[name] = value;
    }

    static async Task EnsureAsync(HttpResponseMessage response, string what)
    {
        if (response.IsSuccessStatusCode) return;
        var body = await response.Content.ReadAsStringAsync();
        throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 300)]}");
    }

    public void Dispose() => client.Dispose();
}
