using System.Net;
using Microsoft.Extensions.Options;

namespace DailyPapers.Web;

/// <summary>
/// The absolute address that links in feeds, API headers and mails point to. PublicUrl when set. Otherwise the
/// request's own host, but only when AllowedHosts restricts the hosts the server answers (the framework's host
/// filtering has then checked it); otherwise the address the server listens on. A Host header a client made up never
/// ends up in a link: a cached feed or a mail would carry it to every reader.
/// </summary>
public sealed class SiteAddress(IOptions<AppOptions> options, IConfiguration configuration, Microsoft.AspNetCore.Hosting.Server.IServer server)
{
    const string DefaultUrl = "http://localhost:5000";

    public string For(HttpContext? context)
    {
        if (options.Value.PublicUrl is { Length: > 0 } configured) return configured.TrimEnd('/');
        if (context is not null && HostsRestricted(configuration)) return $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}";
        return Listening;
    }

    /// <summary>
    /// Where the server listens: the address it bound (so a port chosen at start, as with :0, is the real one), else
    /// the first of --urls (ASPNETCORE_URLS) for a command run beside it, else the default; wildcards read as localhost.
    /// </summary>
    public string Listening =>
        (Bound() ?? (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? DefaultUrl)
        .Replace("://+", "://localhost").Replace("://*", "://localhost").Replace("://0.0.0.0", "://localhost").Replace("://[::]", "://localhost")
        .TrimEnd('/');

    string? Bound() => server.Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses.FirstOrDefault();

    /// <summary>
    /// The addresses the server will listen on, from its configuration as Kestrel reads it: --urls (ASPNETCORE_URLS),
    /// else ASPNETCORE_HTTP_PORTS / HTTPS_PORTS (every interface), plus Kestrel:Endpoints; the default when none.
    /// </summary>
    public static IReadOnlyList<string> Configured(IConfiguration configuration)
    {
        var urls = (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        if (urls.Count == 0)
            foreach (var (key, scheme) in new[] { ("http_ports", "http"), ("https_ports", "https") })
                urls.AddRange((configuration[key] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"{scheme}://*:{p}"));
        urls.AddRange(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>());
        return urls.Count > 0 ? urls : [DefaultUrl];
    }

    public static bool HostsRestricted(IConfiguration configuration) =>
        (configuration["AllowedHosts"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } hosts
        && !hosts.Contains("*");

    /// <summary>
    /// Checked once the server listens: beyond loopback, links need PublicUrl or AllowedHosts (an error, the server
    /// refuses to run); on loopback, where a proxy in front may forward public traffic, a warning says the same.
    /// </summary>
    public static (string? Error, string? Warning) Check(IEnumerable<string> addresses, AppOptions options, IConfiguration configuration)
    {
        if (options.PublicUrl is { Length: > 0 } || HostsRestricted(configuration)) return (null, null);
        var exposed = addresses.Where(a => !IsLoopback(a)).ToList();
        const string how = "set DAILYPAPERS_PUBLICURL=https://papers.example.org (the address readers use), or AllowedHosts=papers.example.org " +
                           "(the host names this server answers)";
        return exposed.Count > 0
            ? ($"listening on {string.Join(", ", exposed)} beyond this machine, but links in feeds and mails would follow whatever Host " +
               $"header a client sends: {how}.", null)
            : (null, $"PublicUrl is not set: links in feeds and mails point to {string.Join(", ", addresses)}. Behind a proxy, {how}.");
    }

    static bool IsLoopback(string address)
    {
        if (!Uri.TryCreate(address.Replace("://+", "://0.0.0.0").Replace("://*", "://0.0.0.0"), UriKind.Absolute, out var uri)) return false;
        return uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }
}
