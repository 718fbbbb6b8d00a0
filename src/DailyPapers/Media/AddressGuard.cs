using System.Net;
using System.Net.Sockets;

namespace DailyPapers.Media;

/// <summary>
/// Addresses in the data are someone else's text: fetched blindly, http://169.254.169.254/ or http://localhost:5000/
/// would make the hub request its own network (SSRF). Only public addresses are fetched: checked on the address
/// before the request (a clear refusal) and again on every connection the client makes (redirects, and a name that
/// resolves elsewhere the second time).
/// </summary>
public static class AddressGuard
{
    static readonly IPNetwork[] NotPublic = [.. new[]
    {
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
        "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/3",
        "::/127", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8", "2001:db8::/32",
    }.Select(n => IPNetwork.Parse(n))];

    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        // NAT64 and 6to4 carry an IPv4 address inside; it is that one that gets reached.
        var bytes = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && IPNetwork.Parse("64:ff9b::/96").Contains(address)) return IsPublic(new IPAddress(bytes[12..]));
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && IPNetwork.Parse("2002::/16").Contains(address)) return IsPublic(new IPAddress(bytes[2..6]));
        return !NotPublic.Any(n => n.Contains(address));
    }

    /// <summary>Why a URL may not be fetched, or null when its host resolves to public addresses only.</summary>
    public static async Task<string?> RefusalAsync(Uri url, CancellationToken ct)
    {
        IPAddress[] addresses;
        try { addresses = IPAddress.TryParse(url.IdnHost, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(url.IdnHost, ct); }
        catch (SocketException ex) { return $"{url.Host} does not resolve: {ex.SocketErrorCode}"; }
        var inside = addresses.FirstOrDefault(a => !IsPublic(a));
        return addresses.Length == 0 ? $"{url.Host} does not resolve"
            : inside is not null ? $"refused: {url.Host} is a loopback, private or reserved address ({inside})" : null;
    }

    /// <summary>The remote-media client's own connections: to public addresses only, whatever a redirect or DNS says.</summary>
    public static SocketsHttpHandler Handler() => new()
    {
        MaxAutomaticRedirections = 5,
        ConnectCallback = async (context, ct) =>
        {
            var addresses = (await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct)).Where(IsPublic).ToArray();
            if (addresses.Length == 0) throw new HttpRequestException($"refused: {context.DnsEndPoint.Host} has no public address");
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
