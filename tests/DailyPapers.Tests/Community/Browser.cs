using System.Net;
using System.Text.RegularExpressions;
using DailyPapers.Accounts;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DailyPapers.Tests.Community;

/// <summary>A browser's view of the app: https, cookies kept, redirects not followed, forms posted with their antiforgery token.</summary>
public sealed partial class Browser(AppFactory app)
{
    public HttpClient Client { get; } = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    /// <summary>The antiforgery token of a page, as its forms carry it.</summary>
    public async Task<string> TokenAsync(string page = "/account/signin")
    {
        var html = await Client.GetStringAsync(page);
        return TokenPattern().Match(html).Groups[1].Value;
    }

    /// <summary>
    /// Posts a form the way a browser does from the page tokenFrom: with that page's antiforgery token when it has one
    /// (per-visitor pages), else (pages every reader shares carry none) with the Sec-Fetch-Site: same-origin header
    /// every current browser sends for a form posted from this site.
    /// </summary>
    public async Task<HttpResponseMessage> PostAsync(string url, Dictionary<string, string> fields, string? tokenFrom = "/account/signin")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url);
        if (tokenFrom is not null && await TokenAsync(tokenFrom) is { Length: > 0 } token) fields["__RequestVerificationToken"] = token;
        else if (tokenFrom is not null) request.Headers.Add("Sec-Fetch-Site", "same-origin");
        request.Content = new FormUrlEncodedContent(fields);
        return await Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> SignUpAsync(string email, string password = "correct horse battery", string name = "Ada") =>
        PostAsync("/account/signup", new() { ["email"] = email, ["name"] = name, ["password"] = password }, "/account/signup");

    public Task<HttpResponseMessage> SignInAsync(string email, string password = "correct horse battery") =>
        PostAsync("/account/signin", new() { ["email"] = email, ["password"] = password });

    /// <summary>The X-CSRF-Token the page's script sends with API calls made with the session cookie.</summary>
    public async Task<HttpRequestMessage> ApiRequestAsync(HttpMethod method, string url)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Add("X-CSRF-Token", await TokenAsync("/account"));
        return request;
    }

    public static async Task<(User User, string Token)> UserWithTokenAsync(AppFactory app, string email, string? role = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var user = await accounts.SignUpAsync(email, email.Split('@')[0], "correct horse battery", role);
        var (_, secret) = await accounts.CreateTokenAsync(user!, "test");
        return (user!, secret);
    }

    /// <summary>One API call as a script makes it: a bearer token (or none), a JSON body (or none).</summary>
    public static async Task<HttpResponseMessage> SendAsync(AppFactory app, HttpMethod method, string url, string? token, object? body = null)
    {
        var request = token is null ? new HttpRequestMessage(method, url) : WithBearer(method, url, token);
        if (body is not null) request.Content = System.Net.Http.Json.JsonContent.Create(body);
        return await app.CreateClient().SendAsync(request);
    }

    public static HttpRequestMessage WithBearer(HttpMethod method, string url, string token)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    public static bool IsRedirectTo(HttpResponseMessage r, string path) =>
        r.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found && r.Headers.Location?.OriginalString.EndsWith(path) == true;
}
