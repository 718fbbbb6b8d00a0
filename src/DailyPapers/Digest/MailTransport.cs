using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace DailyPapers.Digest;

/// <summary>A delivery that failed. Permanent: the server refused for good (5xx); retrying cannot help.</summary>
public sealed class MailException(string message, bool permanent, Exception? inner = null) : Exception(message, inner)
{
    public bool Permanent => permanent;
}

/// <summary>
/// Hands messages to the SMTP server over one connection kept open between messages, or, with no server
/// configured, writes them as .eml files to the pickup folder (write, then rename: a file there is whole).
/// </summary>
public sealed class MailTransport(MailOptions options, string pickupFolder) : IAsyncDisposable
{
    SmtpClient? client;

    public bool Smtp => !string.IsNullOrWhiteSpace(options.Host);
    public string Destination => Smtp ? $"smtp://{options.Host}:{options.Port}" : pickupFolder;

    public async Task SendAsync(MimeMessage message, string fileName, CancellationToken ct)
    {
        if (!Smtp)
        {
            await WriteFileAsync(message, fileName, ct);
            return;
        }
        try
        {
            var smtp = await ConnectedAsync(ct);
            await smtp.SendAsync(message, ct);
        }
        catch (SmtpCommandException ex)
        {
            // 5xx is the server's final word on this message or recipient; 4xx is "later".
            throw new MailException($"{(int)ex.StatusCode} {ex.Message}", permanent: (int)ex.StatusCode >= 500, ex);
        }
        catch (Exception ex) when (ex is IOException or SocketException or SmtpProtocolException or TimeoutException
                                       or ServiceNotConnectedException or AuthenticationException or SslHandshakeException
                                       or OperationCanceledException && !ct.IsCancellationRequested)
        {
            await DropAsync();
            throw new MailException(ex.Message, permanent: false, ex);
        }
    }

    async Task<SmtpClient> ConnectedAsync(CancellationToken ct)
    {
        if (client is { IsConnected: true }) return client;
        await DropAsync();
        client = new SmtpClient { Timeout = (int)(options.TimeoutSeconds * 1000) };
        var security = options.Security.ToLowerInvariant() switch
        {
            "none" => SecureSocketOptions.None,
            "starttls" => SecureSocketOptions.StartTls,
            "ssl" => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.Auto,
        };
        // Our own socket, for NoDelay: SMTP is many small commands, and Nagle's algorithm against the server's delayed
        // ACK added ~40 ms to every message (18 messages/s to smtp4dev instead of hundreds).
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try { await socket.ConnectAsync(options.Host!, options.Port, ct); }
        catch { socket.Dispose(); throw; }
        await client.ConnectAsync(socket, options.Host!, options.Port, security, ct);
        if (!string.IsNullOrEmpty(options.Username)) await client.AuthenticateAsync(options.Username, options.Password ?? "", ct);
        return client;
    }

    async Task WriteFileAsync(MimeMessage message, string fileName, CancellationToken ct)
    {
        Directory.CreateDirectory(pickupFolder);
        var path = Path.Combine(pickupFolder, fileName + ".eml");
        var temp = path + ".tmp";
        await message.WriteToAsync(temp, ct);
        File.Move(temp, path, overwrite: true);
    }

    async Task DropAsync()
    {
        if (client is null) return;
        try { if (client.IsConnected) await client.DisconnectAsync(true); }
        catch (Exception ex) when (ex is IOException or SocketException or SmtpProtocolException or ServiceNotConnectedException) { }
        client.Dispose();
        client = null;
    }

    public async ValueTask DisposeAsync() => await DropAsync();
}
