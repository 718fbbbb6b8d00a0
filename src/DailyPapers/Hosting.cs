using System.Text.Json.Serialization;
using DailyPapers.Claims;
using DailyPapers.Collections;
using DailyPapers.Comments;
using DailyPapers.Data;
using DailyPapers.Accounts;
using DailyPapers.Digest;
using DailyPapers.Discovery;
using DailyPapers.Feed;
using DailyPapers.Follows;
using DailyPapers.Ingest;
using DailyPapers.Mcp;
using DailyPapers.Media;
using DailyPapers.Papers;
using DailyPapers.Search;
using DailyPapers.Stats;
using DailyPapers.Submissions;
using DailyPapers.Notifications;
using DailyPapers.Votes;
using DailyPapers.Web;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DailyPapers;

/// <summary>Every service and route of the hub, registered in one place.</summary>
public static class Hosting
{
    public static void AddDailyPapers(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // Quiet defaults that Logging__LogLevel__* settings still override; EF's SQL log would drown the CLI.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        // Keys are stored unencrypted in DataDir, like the database beside them: protect the folder, not each file.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        services.AddOptions<AppOptions>().Bind(builder.Configuration)
            .Validate(o => !string.IsNullOrWhiteSpace(o.DataDir), "DataDir must not be empty")
            .Validate(o => EmbeddingModel.Find(o.Search.Model) is not null, "Search:Model must be one of: " + string.Join(", ", EmbeddingModel.Known.Select(m => m.Name)))
            .Validate(o => DigestSettings.Valid(o.Digest), "Digest:TimeZone must be a known time zone (UTC, Europe/Paris…) and Digest:SendAt a time like 07:00")
            .Validate(o => o.Mail.MaxPerSecond >= 0 && o.Mail.MaxAttempts >= 1 && o.Mail.LeaseSeconds >= 0 && o.Mail.RetrySeconds >= 0 && o.Mail.TimeoutSeconds > 0,
                "Mail: MaxPerSecond, LeaseSeconds and RetrySeconds must not be negative, MaxAttempts and TimeoutSeconds must be positive")
            .Validate(o => MimeKit.MailboxAddress.TryParse(o.Mail.From, out _), "Mail:From must be an address like: DailyPapers <digest@example.org>")
            .Validate(o => Proxies(o.TrustedProxies) is not null, "TrustedProxies must be IP addresses or CIDR networks, comma-separated (127.0.0.1,::1 or 10.0.0.0/8)")
            .Validate(o => o.RateLimits.Accounts > 0 && o.RateLimits.Votes > 0 && o.RateLimits.Comments > 0 && o.RateLimits.WindowSeconds > 0,
                "RateLimits: Accounts, Votes, Comments and WindowSeconds must be positive")
            .Validate(o => o.Harvest.DelaySeconds >= 0 && o.Harvest.MaxRetries >= 0 && o.Harvest.IntervalHours > 0 && o.Harvest.FirstRunDays >= 0,
                "Harvest: DelaySeconds, MaxRetries and FirstRunDays must not be negative, IntervalHours must be positive")
            .Validate(o => o.Media.DelaySeconds >= 0 && o.Media.BatchSize > 0 && o.Media.MaxPdfBytes > 0 && o.Media.MaxImageBytes > 0 && o.Media.MaxVideoBytes > 0,
                "Media: DelaySeconds must not be negative; BatchSize, MaxPdfBytes, MaxImageBytes and MaxVideoBytes must be positive")
            .Validate(o => Uri.TryCreate(o.Media.PdfBaseUrl, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" && !string.IsNullOrWhiteSpace(o.Media.PdftoppmPath),
                "Media:PdfBaseUrl must be an http(s) address (https://arxiv.org/pdf/) and Media:PdftoppmPath not empty")
            .Validate(o => o.Jobs.LeaseSeconds > 0, "Jobs:LeaseSeconds must be positive")
            .Validate(o => o.Search.FollowSeconds > 0, "Search:FollowSeconds must be positive")
            .ValidateOnStart();
        // The options are built once (they depend only on the connection string): built for every request's context
        // they were 1.5% of the search page's time (EF's warnings configuration and option extensions).
        services.AddDbContext<AppDb>((sp, o) => Provider.Configure(o, sp.GetRequiredService<IOptions<AppOptions>>().Value.ConnectionString),
            optionsLifetime: ServiceLifetime.Singleton);
        services.AddScoped<Schema>();
        services.AddScoped<Importer>();
        services.AddScoped<Exporter>();
        services.AddScoped<DatabaseStartup>();
        services.AddScoped<KeywordSearch>();
        services.AddScoped<KeywordFeed>();
        services.AddSingleton<KeywordIndex>();
        services.AddScoped<SearchService>();
        services.AddSingleton<SearchRows>();
        services.AddScoped<Embeddings>();
        services.AddSingleton(sp => new Embedder(EmbeddingModel.Find(sp.GetRequiredService<IOptions<AppOptions>>().Value.Search.Model) ?? EmbeddingModel.MiniLM));
        services.AddSingleton<VectorIndex>();
        services.AddSingleton<VectorFeed>();
        services.AddScoped<Accounts.AccountService>();
        services.AddScoped<Votes.VoteService>();
        services.AddScoped<Comments.CommentService>();
        services.AddScoped<Submissions.SubmissionService>();
        services.AddScoped<Follows.ForYou>();
        services.AddScoped<Notifications.FollowsNotifier>();
        services.AddScoped<Collections.CollectionService>();
        services.AddHttpClient<Submissions.ArxivClient>(http =>
        {
            http.DefaultRequestHeaders.UserAgent.ParseAdd("DailyPapers/1.0 (+self-hosted paper hub)");
            http.Timeout = TimeSpan.FromSeconds(20);
        });
        services.AddSingleton<Accounts.AccountTokens>();
        services.AddScoped<Accounts.SessionService>();
        services.AddSingleton<SiteAddress>();
        services.AddDailyPapersMcp();
        services.AddOptions<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>().Configure<IOptions<AppOptions>>((o, app) => ForwardedFrom(o, app.Value.TrustedProxies));
        services.AddDailyPapersAuth(builder.Environment.IsDevelopment());
        services.AddSingleton<RateWindows>();
        services.AddSharedCache();
        services.AddScoped<Subscriptions>();
        services.AddScoped<DigestComposer>();
        services.AddScoped<Outbox>();
        services.AddSingleton<DigestLinks>();
        services.AddSingleton<OutboxSignal>();
        services.AddHttpContextAccessor();
        services.AddHttpClient<Harvester>(http => http.DefaultRequestHeaders.UserAgent.ParseAdd("DailyPapers/1.0 (+self-hosted paper hub)"));
        services.AddSingleton<MediaFiles>();
        services.AddSingleton<Pdftoppm>();
        services.AddScoped<MediaWork>();
        services.AddHttpClient<PdfThumbnails>(http =>
        {
            http.DefaultRequestHeaders.UserAgent.ParseAdd("DailyPapers/1.0 (+self-hosted paper hub)");
            http.Timeout = TimeSpan.FromSeconds(120);
        });
        // Addresses come from the data: the client connects to public addresses only (AddressGuard), tests excepted.
        services.AddHttpClient<RemoteMedia>(http =>
        {
            http.DefaultRequestHeaders.UserAgent.ParseAdd("DailyPapers/1.0 (+self-hosted paper hub)");
            http.Timeout = TimeSpan.FromSeconds(60);
        }).ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<IOptions<AppOptions>>().Value.Media.AllowPrivateAddresses
            ? new SocketsHttpHandler() : AddressGuard.Handler());
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<Sleep>((delay, ct) => Task.Delay(delay, ct));
        services.AddSingleton<JobLeases>();
        services.AddHostedService<StartupService>(); // first: the schema is there before any job runs
        services.AddHostedService<HarvestJob>();
        services.AddHostedService<EmbedJob>();
        services.AddHostedService<KeywordIndexJob>();
        services.AddHostedService<DigestJob>();
        services.AddHostedService<TrendingJob>();
        services.AddHostedService<Notifications.NotifyJob>();
        services.AddHostedService<MediaJob>();
        services.Configure<RouteOptions>(o => o.SetParameterPolicy<PaperRoutes.ArchiveConstraint>("archive"));
        services.AddRazorComponents();
        // Author names and titles in any script go out as text, not as &#x…; entities for every non-ASCII letter.
        services.AddWebEncoders(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        // Keys that sign cookies, forms and links live in the database, so they survive restarts and upgrades and every
        // instance on the database shares them; those an older version kept in {DataDir}/keys are copied in.
        services.AddDataProtection();
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<AppOptions>, IServiceScopeFactory>((keys, app, scopes) =>
            keys.XmlRepository = new DatabaseKeys(scopes, Path.Combine(app.Value.DataDir, "keys")));
        // The document names its server: SiteAddress's, never the Host header of whoever asked.
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((document, context, _) =>
            {
                document.Servers = [new() { Url = context.ApplicationServices.GetRequiredService<SiteAddress>().For(null) }];
                return Task.CompletedTask;
            });
            ApiDocs.Configure(o);
        });
        // Lists and API pages are text that compresses five- to tenfold; off for HTTPS by default (BREACH), where a
        // proxy in front usually compresses anyway.
        services.AddResponseCompression(o => o.MimeTypes = [.. ResponseCompressionDefaults.MimeTypes,
            "application/rss+xml", "application/atom+xml", "text/markdown"]);
        // The default "fastest" level only halves JSON; "optimal" cuts it by four for a millisecond more.
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Optimal);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Optimal);
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            o.SerializerOptions.Use(); // every timestamp as Hugging Face writes it (Web/UtcTimestamps.cs)
        });
    }

    public static void UseDailyPapers(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseErrorAnswers();
        app.UseFlash();
        app.UseSecurityHeaders();
        app.UseReadOnlyCors();
        // Outside authentication (an anonymous hit costs no session lookup) and outside compression (the compressed
        // bytes are stored, not compressed again for every reader); inside the headers every reply gets.
        app.UseOutputCache();
        app.UseResponseCompression();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimits();
        // One document, v1; any other name is a 404 in the API's error shape, like every machine route.
        app.MapOpenApi().AddEndpointFilter((invocation, next) =>
            invocation.HttpContext.Request.RouteValues["documentName"] as string == "v1" ? next(invocation) : ValueTask.FromResult<object?>(Http.Error(404, "the one OpenAPI document is /openapi/v1.json")));
        app.MapGet("/site.css", (HttpContext c) => Asset(c, Css.Value, "text/css; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/site.js", (HttpContext c) => Asset(c, Js.Value, "text/javascript; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/favicon.svg", (HttpContext c) => Asset(c, Icon.Value, "image/svg+xml")).ExcludeFromDescription();
        // Browsers ask for /favicon.ico by themselves; every modern one draws the SVG.
        app.MapGet("/favicon.ico", (HttpContext c) => Asset(c, Icon.Value, "image/svg+xml")).ExcludeFromDescription();
        app.MapFeed();
        app.MapSearch();
        app.MapPapers();
        app.MapDigest();
        app.MapAccounts();
        app.MapMe();
        app.MapNotifications();
        app.MapVotes();
        app.MapTrending();
        app.MapComments();
        app.MapCommentPages();
        app.MapSubmissions();
        app.MapAdmin();
        app.MapAdminPages();
        app.MapExport();
        app.MapCollections();
        app.MapCollectionPages();
        app.MapFollows();
        app.MapClaims();
        app.MapClaimPages();
        app.MapModeration();
        app.MapMedia();
        app.MapStats();
        app.MapDiscovery();
        app.MapDailyPapersMcp();
        app.MapApiReference();
    }

    static readonly Lazy<byte[]> Css = new(() => Resource("site.css"));
    static readonly Lazy<byte[]> Js = new(() => Resource("site.js"));
    static readonly Lazy<byte[]> Icon = new(() => Resource("favicon.svg"));

    /// <summary>
    /// X-Forwarded-For and -Proto are honoured only from the proxies named in TrustedProxies (addresses or CIDR
    /// networks, comma-separated; loopback by default, for a proxy on the same machine). The client address then
    /// keys the rate limits and the scheme decides cookies; the host is never taken from a header (SiteAddress).
    /// </summary>
    static void ForwardedFrom(Microsoft.AspNetCore.Builder.ForwardedHeadersOptions o, string trusted)
    {
        o.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto;
        o.KnownProxies.Clear();
        o.KnownIPNetworks.Clear();
        foreach (var network in Proxies(trusted) ?? []) o.KnownIPNetworks.Add(network);
    }

    /// <summary>TrustedProxies as networks (an address is a network of one); null when an entry is neither.</summary>
    static List<System.Net.IPNetwork>? Proxies(string trusted)
    {
        var networks = new List<System.Net.IPNetwork>();
        foreach (var entry in trusted.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (System.Net.IPNetwork.TryParse(entry, out var network)) networks.Add(network);
            else if (System.Net.IPAddress.TryParse(entry, out var address)) networks.Add(new System.Net.IPNetwork(address, address.GetAddressBytes().Length * 8));
            else return null;
        }
        return networks;
    }

    static byte[] Resource(string name)
    {
        using var s = typeof(Hosting).Assembly.GetManifestResourceStream(name)!;
        using var m = new MemoryStream();
        s.CopyTo(m);
        return m.ToArray();
    }

    static IResult Asset(HttpContext context, byte[] bytes, string type)
    {
        context.Response.Headers.CacheControl = "public, max-age=3600";
        return Results.Bytes(bytes, type);
    }
}
