using System.Net;
using DailyPapers.Web;
using Microsoft.Extensions.Configuration;

namespace DailyPapers.Tests.Trust;

/// <summary>
/// A Host header a client made up never ends up in a link: links use PublicUrl, or the request's host only when
/// AllowedHosts has checked it, else the listening address; serving beyond loopback needs one of the two.
/// </summary>
public class HostTests
{
    static async Task<string> FeedAsync(AppFactory app, string host)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/papers.rss?date=2026-08-21");
        request.Headers.Host = host;
        var r = await app.CreateClient().SendAsync(request);
        return $"{(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}";
    }

    [Fact]
    public async Task WithoutPublicUrlOrAllowedHostsLinksUseTheListeningAddress()
    {
        await using var app = new AppFactory();
        await app.ImportAsync("hf/2026-08-21.jsonl");
        var feed = await FeedAsync(app, "evil.example");
        Assert.DoesNotContain("evil.example", feed);
        Assert.Contains("<link>http://localhost:5000/papers?date=2026-08-21</link>", feed);
    }

    [Fact]
    public async Task PublicUrlDecidesWhenSet()
    {
        await using var app = new AppFactory().With("PublicUrl", "https://papers.example.org/");
        await app.ImportAsync("hf/2026-08-21.jsonl");
        var feed = await FeedAsync(app, "evil.example");
        Assert.Contains("<link>https://papers.example.org/papers?date=2026-08-21</link>", feed);
        Assert.DoesNotContain("evil.example", feed);
    }

    [Fact]
    public async Task WithAllowedHostsTheCheckedHostIsUsedAndOthersAreRefused()
    {
        await using var app = new AppFactory().With("AllowedHosts", "papers.example.org");
        await app.ImportAsync("hf/2026-08-21.jsonl");
        Assert.Contains("<link>http://papers.example.org/papers?date=2026-08-21</link>", await FeedAsync(app, "papers.example.org"));
        Assert.StartsWith("400 ", await FeedAsync(app, "evil.example"));
    }

    [Theory]
    [InlineData("http://0.0.0.0:8080", null, null, true, false)]
    [InlineData("http://[::]:8080", null, null, true, false)]
    [InlineData("http://192.168.1.5:8080", null, null, true, false)]
    [InlineData("http://0.0.0.0:8080", "https://papers.example.org", null, false, false)]
    [InlineData("http://0.0.0.0:8080", null, "papers.example.org", false, false)]
    [InlineData("http://0.0.0.0:8080", null, "*", true, false)]
    [InlineData("http://localhost:5000", null, null, false, true)]
    [InlineData("http://127.0.0.1:5000", null, null, false, true)]
    [InlineData("http://[::1]:5000", null, null, false, true)]
    public void ServingBeyondLoopbackNeedsPublicUrlOrAllowedHosts(string address, string? publicUrl, string? allowedHosts, bool error, bool warning)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AllowedHosts"] = allowedHosts }).Build();
        var (e, w) = SiteAddress.Check([address], new AppOptions { PublicUrl = publicUrl }, configuration);
        Assert.Equal((error, warning), (e is not null, w is not null));
        if (e is not null) Assert.Contains("DAILYPAPERS_PUBLICURL", e);
    }

    [Fact]
    public async Task TheServerRefusesToListenBeyondLoopbackWithoutThem()
    {
        var data = Directory.CreateTempSubdirectory("dailypapers-host-").FullName;
        var run = await Cli.RunAsync("--data", data, "--no-sample", "--urls", "http://0.0.0.0:0");
        Assert.Equal(1, run.Exit);
        Assert.Contains("beyond this machine", run.Err);
        Assert.Contains("DAILYPAPERS_PUBLICURL", run.Err);
        Assert.DoesNotContain("Now listening", run.Out + run.Err); // refused before anything listened or ran
    }

    [Fact]
    public async Task AnUnreadableTrustedProxiesSettingIsAClearError()
    {
        var data = Directory.CreateTempSubdirectory("dailypapers-host-").FullName;
        var run = await Cli.RunAsync("--data", data, "--no-sample", "--TrustedProxies=10.0.0.1,bogus");
        Assert.Equal(1, run.Exit);
        Assert.Contains("TrustedProxies must be IP addresses or CIDR networks", run.Err);
    }
}
