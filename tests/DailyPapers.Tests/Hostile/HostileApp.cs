using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using DailyPapers.Accounts;
using DailyPapers.Papers;
using DailyPapers.Tests.Community;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DailyPapers.Tests.Hostile;

/// <summary>What came back for one case, with what the server logged and what changed in the database.</summary>
public sealed record Outcome(int Status, string? ContentType, string Body, string? Location, string HeaderText, Exception? Thrown,
    int? ControlStatus, IReadOnlyList<string> DataChanges, IReadOnlyList<string> ServerErrors)
{
    /// <summary>
    /// The in-memory test host refuses a path with an encoded NUL before the app sees it (it throws where Kestrel
    /// answers 400 itself): the request never reaches the app, so there is nothing of the app's to judge.
    /// </summary>
    public bool RefusedByHost => Thrown is InvalidOperationException { Message: "The path contains null characters." };
}

/// <summary>
/// One app for the whole class, with real data in every table, so each hostile request has something to hit:
/// a day of Hugging Face papers, an admin (user 1, token 1) and a member, a comment, a public collection holding
/// a paper, a pending claim, an open report, a follow, a vote, a subscription, and the admin signed in in a browser.
/// Row 1 of every table exists, which is what Routes.LongIds.Real relies on.
/// </summary>
public sealed class HostileApp : IAsyncLifetime
{
    public AppFactory App { get; }
    public LogCapture Logs { get; } = new();
    public string AdminToken { get; private set; } = "";
    public Browser Session { get; private set; } = null!;
    /// <summary>The antiforgery token of the signed-in session, as its forms carry it.</summary>
    public string FormToken { get; private set; } = "";
    HttpClient client = null!;
    Fingerprinter fingerprints = null!;
    Fingerprint current = null!;
    // When the data version (PRAGMA data_version; the data_version row on PostgreSQL) has not moved, nothing was
    // committed and the fingerprint need not be taken again.
    long version;

    public HostileApp()
    {
        App = WithoutRateLimits(new AppFactory())
            .With("Digest:Schedule", "false")
            // Nothing may leave the machine: a submission of an unknown paper fails at once.
            .With("Submissions:ArxivApiUrl", "http://127.0.0.1:9/api/query")
            .WithoutJobs()
            .WithServices(s => s.AddSingleton<ILoggerProvider>(Logs));
    }

    /// <summary>
    /// Rate limits would answer 429 after twenty requests and hide every later case from its handler: every quota
    /// is raised out of reach (RateLimitOptions names them all).
    /// </summary>
    static AppFactory WithoutRateLimits(AppFactory app) =>
        app.With("RateLimits:Accounts", "1000000").With("RateLimits:Votes", "1000000").With("RateLimits:Comments", "1000000");

    public async Task InitializeAsync()
    {
        client = App.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = false });
        await SeedAsync();
        fingerprints = new Fingerprinter(App.Services.GetRequiredService<IOptions<AppOptions>>().Value.ConnectionString);
        version = fingerprints.DataVersion();
        current = fingerprints.Take();
    }

    async Task SeedAsync()
    {
        await App.ImportAsync("hf/2026-08-21.jsonl", "arxiv/id_astro-ph_0601001_s0_m100_3150dca9dc76.json");
        var (_, admin) = await Browser.UserWithTokenAsync(App, "admin@example.org", Roles.Admin);
        var (_, member) = await Browser.UserWithTokenAsync(App, "member@example.org");
        AdminToken = admin;
        const string p = Routes.RealPaper;
        var author = await App.WithDbAsync(async db => PaperView.AuthorNames(await db.Papers.SingleAsync(x => x.Id == p)).First());
        await Expect(admin, "POST", $"/api/papers/{p}/comments", new { body = "A first comment." }, HttpStatusCode.Created);
        await Expect(admin, "POST", "/api/collections", new { name = "Reading list", isPublic = true }, HttpStatusCode.Created);
        await Expect(admin, "POST", "/api/collections/1/papers", new { arxivId = p }, HttpStatusCode.NoContent);
        await Expect(admin, "POST", "/api/follows", new { kind = "keyword", value = "agents" }, HttpStatusCode.NoContent);
        await Expect(member, "POST", $"/api/papers/{p}/claim", new { authorName = author }, HttpStatusCode.Created);
        await Expect(member, "POST", "/api/reports", new { kind = "comment", target = "1", reason = "spam" }, HttpStatusCode.Created);
        await Expect(member, "POST", $"/api/papers/{p}/upvote", null, HttpStatusCode.OK);
        await Expect(null, "POST", "/api/subscriptions", new { email = "reader@example.org" }, HttpStatusCode.Accepted);
        Session = new Browser(App);
        var signedIn = await Session.SignInAsync("admin@example.org");
        if (!Browser.IsRedirectTo(signedIn, "/account")) throw new InvalidOperationException($"seed: sign-in answered {(int)signedIn.StatusCode}");
        FormToken = await Session.TokenAsync("/account");
        // Vectors for every paper, as the server's background job would make them: similar papers and hybrid
        // search then run their real path (and a paper page does not embed its paper on every request).
        await using var scope = App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<global::DailyPapers.Search.Embeddings>().EmbedMissingAsync();
    }

    async Task Expect(string? token, string method, string url, object? body, HttpStatusCode status)
    {
        var response = await Browser.SendAsync(App, new HttpMethod(method), url, token, body);
        if (response.StatusCode != status)
            throw new InvalidOperationException($"seed: {method} {url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    public async Task DisposeAsync()
    {
        fingerprints?.Dispose();
        await App.DisposeAsync();
    }

    /// <summary>Sends a case (and its control request), then fingerprints the database and collects what the server logged.</summary>
    public async Task<Outcome> SendAsync(HostileCase c)
    {
        Logs.Drain();
        var before = c.MayChange is null ? current : fingerprints.Take(c.MayChange);
        int? control = null;
        if (c.ControlUrl is not null) control = (int)(await SendRawAsync(c, c.ControlUrl)).StatusCode;
        HttpResponseMessage? response = null;
        Exception? thrown = null;
        try { response = await SendRawAsync(c, c.Url); }
        catch (Exception ex) { thrown = ex; }
        var changes = Changes(before, c.MayChange);
        var body = response is null ? "" : await response.Content.ReadAsStringAsync();
        return new Outcome((int?)response?.StatusCode ?? 0, response?.Content.Headers.ContentType?.ToString(), body, Location(response),
            HeaderText(response), thrown, control, changes, Logs.Drain());
    }

    /// <summary>What the request changed, from the fingerprint before it; the new state becomes the next case's "before".</summary>
    IReadOnlyList<string> Changes(Fingerprint before, IReadOnlySet<string>? mayChange)
    {
        var now = fingerprints.DataVersion();
        if (now == version && mayChange is null) return [];
        version = now;
        var after = fingerprints.Take(mayChange);
        current = mayChange is null ? after : fingerprints.Take();
        return before.Diff(after);
    }

    static string HeaderText(HttpResponseMessage? response) => response is null ? ""
        : string.Join("\n", response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated).Select(h => $"{h.Key}: {h.Value}"));

    static string? Location(HttpResponseMessage? response) =>
        response is not null && response.Headers.NonValidated.TryGetValues("Location", out var values) ? values.ToString() : null;

    Task<HttpResponseMessage> SendRawAsync(HostileCase c, string url)
    {
        var request = new HttpRequestMessage(new HttpMethod(c.Method), url);
        if (c.Who == Who.Bearer) request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + AdminToken);
        foreach (var (name, value) in c.Headers) request.Headers.TryAddWithoutValidation(name, value);
        if (c.Body is not null) request.Content = c.Body(this);
        return (c.Who == Who.Session ? Session.Client : client).SendAsync(request);
    }
}

/// <summary>Keeps what the app logs at Warning and above (unhandled exceptions, with their stack) for the failure message.</summary>
public sealed class LogCapture : ILoggerProvider
{
    readonly ConcurrentQueue<string> entries = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, entries);

    public IReadOnlyList<string> Drain()
    {
        var list = new List<string>();
        while (entries.TryDequeue(out var e)) list.Add(e);
        return list;
    }

    public void Dispose() { }

    sealed class Logger(string category, ConcurrentQueue<string> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) entries.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : "\n" + exception)}");
        }
    }
}
