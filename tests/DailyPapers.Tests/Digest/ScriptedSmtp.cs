using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DailyPapers.Tests.Digest;

/// <summary>
/// An SMTP server that answers RCPT TO with whatever the test says: the refusals (450, 550) a real relay gives
/// and smtp4dev cannot be told to give. Everything else is a plain, well-behaved server that accepts the data.
/// </summary>
public sealed class ScriptedSmtp : IAsyncDisposable
{
    readonly TcpListener listener = new(IPAddress.Loopback, 0);
    readonly CancellationTokenSource stop = new();
    readonly Task loop;

    public ScriptedSmtp()
    {
        listener.Start();
        loop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;
    /// <summary>The reply to RCPT TO; "250 OK" accepts.</summary>
    public string RcptReply { get; set; } = "250 OK";
    public int Accepted;

    async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stop.Token); }
            catch (OperationCanceledException) { return; }
            _ = ServeAsync(client);
        }
    }

    async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var reader = new StreamReader(stream, Encoding.ASCII);
        var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        try
        {
            await writer.WriteLineAsync("220 scripted ESMTP");
            while (await reader.ReadLineAsync(stop.Token) is { } line)
            {
                var verb = line.Split(' ')[0].ToUpperInvariant();
                if (verb == "DATA")
                {
                    await writer.WriteLineAsync("354 go ahead");
                    while (await reader.ReadLineAsync(stop.Token) is { } data && data != ".") { }
                    Interlocked.Increment(ref Accepted);
                    await writer.WriteLineAsync("250 queued");
                    continue;
                }
                await writer.WriteLineAsync(verb switch
                {
                    "EHLO" or "HELO" => "250 scripted",
                    "RCPT" => RcptReply,
                    "QUIT" => "221 bye",
                    _ => "250 OK",
                });
                if (verb == "QUIT") return;
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        try { await loop; } catch (OperationCanceledException) { }
    }
}
