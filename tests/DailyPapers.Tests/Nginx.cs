using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DailyPapers.Tests;

/// <summary>
/// Debian's nginx (test.sh installs the package) in front of app instances on loopback, as README's "Running with
/// PostgreSQL and several instances" sets it up: TLS with a certificate made here, the forwarded headers, round robin
/// over the instances. Everything it writes (config, pid, logs, temp folders) lives in a temporary prefix; it runs in
/// the foreground, as the current user, or with its workers as nobody when that user is root; stopped at dispose.
/// </summary>
public sealed class Nginx : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/nginx";

    readonly Process process;
    readonly ConcurrentQueue<string> output = new();

    public string Prefix { get; }
    public int Port { get; }
    public string Url => $"https://127.0.0.1:{Port}";
    public X509Certificate2 Certificate { get; }

    Nginx(string prefix, int port, X509Certificate2 certificate, Process process)
    {
        (Prefix, Port, Certificate, this.process) = (prefix, port, certificate, process);
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    void Keep(string? line)
    {
        if (line is null) return;
        output.Enqueue(line);
        while (output.Count > 40) output.TryDequeue(out _);
    }

    /// <summary>Starts nginx on a loopback port (FreePort) in front of the apps at these ports; returns once it accepts connections.</summary>
    public static async Task<Nginx> StartAsync(int port, IReadOnlyList<int> upstreams)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("the tests run Debian's nginx");
        if (!File.Exists(Binary)) throw new InvalidOperationException($"{Binary} is missing: apt-get install nginx (test.sh does)");
        var prefix = Directory.CreateTempSubdirectory("dailypapers-nginx-").FullName;
        // Workers running as nobody buffer large answers in proxy_temp under the prefix: they must be able to enter it.
        File.SetUnixFileMode(prefix, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                                     | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        Directory.CreateDirectory(Path.Combine(prefix, "logs"));
        var certificate = SelfSigned();
        await File.WriteAllTextAsync(Path.Combine(prefix, "cert.pem"), certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(prefix, "key.pem"), certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        await File.WriteAllTextAsync(Path.Combine(prefix, "nginx.conf"), Config(port, upstreams));

        var start = new ProcessStartInfo(Binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        // -e: the error log from the first line on (the built-in /var/log/nginx is not ours to write).
        foreach (var a in new[] { "-p", prefix + "/", "-c", "nginx.conf", "-e", Path.Combine(prefix, "logs", "error.log") }) start.ArgumentList.Add(a);
        var nginx = new Nginx(prefix, port, certificate, Process.Start(start)!);
        try
        {
            await Eventually.Until(async () => nginx.process.HasExited || await AcceptsAsync(port), up => up, "nginx to listen",
                TimeSpan.FromSeconds(30), _ => nginx.Log());
            if (nginx.process.HasExited) throw new InvalidOperationException("nginx exited:\n" + nginx.Log());
            return nginx;
        }
        catch
        {
            await nginx.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The config of README's section, with a test's ports and every path under the prefix. The access log names the
    /// instance that answered each request ($upstream_addr), which is how a test sees the load spread.
    /// </summary>
    static string Config(int port, IReadOnlyList<int> upstreams) => $$"""
        {{(Environment.IsPrivilegedProcess ? $"user nobody {NobodysGroup()};" : "")}}
        daemon off;
        worker_processes 2;
        pid nginx.pid;
        events { worker_connections 1024; }
        http {
            client_body_temp_path client_body_temp;
            proxy_temp_path proxy_temp;
            fastcgi_temp_path fastcgi_temp;
            uwsgi_temp_path uwsgi_temp;
            scgi_temp_path scgi_temp;
            log_format upstream '$remote_addr "$request" $status $upstream_addr';
            access_log logs/access.log upstream;

            upstream dailypapers {
        {{string.Join("\n", upstreams.Select(p => $"        server 127.0.0.1:{p};"))}}
                keepalive 16;
            }

            server {
                listen 127.0.0.1:{{port}} ssl;
                ssl_certificate cert.pem;
                ssl_certificate_key key.pem;

                location / {
                    proxy_pass http://dailypapers;
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_set_header Host $http_host;
                    proxy_set_header X-Forwarded-For $remote_addr;
                    proxy_set_header X-Forwarded-Proto $scheme;
                }
            }
        }
        """;

    // Debian calls nobody's group nogroup; other systems call it nobody.
    static string NobodysGroup() => File.ReadLines("/etc/group").Any(l => l.StartsWith("nogroup:", StringComparison.Ordinal)) ? "nogroup" : "nobody";

    /// <summary>The instance (127.0.0.1:port) that answered each request so far, in order, from the access log.</summary>
    public IReadOnlyList<string> Upstreams()
    {
        var log = Path.Combine(Prefix, "logs", "access.log");
        if (!File.Exists(log)) return [];
        using var reader = new StreamReader(new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        var lines = new List<string>();
        while (reader.ReadLine() is { } line) lines.Add(line.Split(' ')[^1]);
        return lines;
    }

    /// <summary>A client of nginx over TLS that trusts exactly this nginx's certificate, keeps no cookies and follows no redirects.</summary>
    public HttpClient Client() => new(new SocketsHttpHandler
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        MaxConnectionsPerServer = 64,
        SslOptions = { RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && cert.GetCertHashString() == Certificate.GetCertHashString() },
    }) { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(60) };

    public string Log()
    {
        var error = Path.Combine(Prefix, "logs", "error.log");
        return string.Join("\n", output) + (File.Exists(error) ? "\n" + File.ReadAllText(error) : "");
    }

    static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        // Re-imported with its key exportable, so it can be written as PEM for nginx.
        return X509Certificate2.CreateFromPem(made.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException) { return false; }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        // The whole tree: the master and its workers.
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
        Certificate.Dispose();
        try { Directory.Delete(Prefix, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
