using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using DailyPapers.Media;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DailyPapers.Tests.Media;

public sealed class RemoteMediaTests
{
    const string Cdn = "http://cdn.test/";
    readonly StubMedia cdn = new();

    // Without the server's jobs: each test runs the media work itself and counts the requests it makes, and the
    // server's MediaJob, run at start, fetched the same files at the same time once apps started faster (8 requests
    // for 4 files, on PostgreSQL).
    AppFactory App(bool fetch = true) => new AppFactory().WithoutJobs()
        .With("Media:FetchRemote", fetch ? "true" : "false").With("Media:AllowPrivateAddresses", "true")
        .WithServices(s => s.AddHttpClient<RemoteMedia>().ConfigurePrimaryHttpMessageHandler(() => cdn));

    /// <summary>A daily entry whose submitter has the given avatar and whose paper names the given media.</summary>
    static string Entry(string id, string? avatar, params string[] media) =>
        Some.HfEntry(id, "2026-01-05", paper: p =>
        {
            if (avatar is not null) p["submittedOnDailyBy"] = new JsonObject { ["avatarUrl"] = avatar, ["fullname"] = "Ada Lovelace" };
            p["mediaUrls"] = new JsonArray([.. media.Select(m => JsonValue.Create(m))]);
        });

    static async Task<MediaReport> RunAsync(AppFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<MediaWork>().RunAsync(dryRun: false);
    }

    static Task<MediaItem?> RowAsync(AppFactory app, string url) => app.WithDbAsync(db => db.Media.SingleOrDefaultAsync(m => m.Key == MediaUrls.Key(url)));

    static string Local(string url) => "/media/" + MediaUrls.Key(url);

    [Fact]
    public async Task NothingIsFetchedUnlessTheHostTurnsItOnAndTheAvatarIsAPlaceholder()
    {
        cdn.Serve(Cdn + "ada.jpg", TestFiles.Jpeg(), "image/jpeg");
        await using var app = App(fetch: false);
        await app.ImportAsync(Some.File(Entry("2601.00001", Cdn + "ada.jpg")));
        Assert.Equal(0, (await RunAsync(app)).Fetched);
        Assert.Empty(cdn.Requests);
        Assert.Equal(Local(Cdn + "ada.jpg") + "?name=Ada%20Lovelace", MediaUrls.Remote(Cdn + "ada.jpg", MediaKind.Avatar, "Ada Lovelace"));
        var r = await app.CreateClient().GetAsync(MediaUrls.Remote(Cdn + "ada.jpg", MediaKind.Avatar, "ada Lovelace"));
        Assert.Equal("image/svg+xml", r.Content.Headers.ContentType?.MediaType);
        var svg = await r.Content.ReadAsStringAsync();
        Assert.Contains("<circle", svg);
        Assert.Contains(">A</text>", svg);
        Assert.DoesNotContain("cdn.test", svg);
    }

    [Fact]
    public async Task AnAvatarAndAVideoAreStoredAndServedAsWhatTheirBytesAre()
    {
        var jpeg = TestFiles.Jpeg();
        var video = TestFiles.Mp4();
        // The CDN calls the JPEG a PNG: what is served is what the bytes are.
        cdn.Serve(Cdn + "ada.jpg", jpeg, "image/png").Serve(Cdn + "demo.mp4", video, "video/mp4");
        await using var app = App();
        await app.ImportAsync(Some.File(Entry("2601.00001", Cdn + "ada.jpg", Cdn + "demo.mp4")));
        var report = await RunAsync(app);
        Assert.Equal((2, 0), (report.Fetched, report.Failed));

        var client = app.CreateClient();
        var r = await client.GetAsync(Local(Cdn + "ada.jpg") + "?name=Ada");
        Assert.Equal(("image/jpeg", "nosniff"), (r.Content.Headers.ContentType?.ToString(), r.Headers.GetValues("X-Content-Type-Options").Single()));
        Assert.Equal(jpeg, await r.Content.ReadAsByteArrayAsync());
        Assert.Equal(TimeSpan.FromDays(30), r.Headers.CacheControl?.MaxAge);
        var avatar = (await RowAsync(app, Cdn + "ada.jpg"))!;
        Assert.Equal((MediaKind.Avatar, MediaItem.Stored, 64L), (avatar.Kind, avatar.Status, avatar.Bytes));

        var range = new HttpRequestMessage(HttpMethod.Get, Local(Cdn + "demo.mp4"));
        range.Headers.Range = new RangeHeaderValue(0, 99);
        var part = await client.SendAsync(range); // a video starts playing from any point
        Assert.Equal((HttpStatusCode.PartialContent, "video/mp4", 100), (part.StatusCode, part.Content.Headers.ContentType?.MediaType, (await part.Content.ReadAsByteArrayAsync()).Length));
        Assert.Equal(MediaKind.Video, (await RowAsync(app, Cdn + "demo.mp4"))!.Kind);

        // What the paper page gets: the video from here, and the source of what is not stored, to link to.
        cdn.Serve(Cdn + "later.mp4", video, "video/mp4");
        await app.ImportAsync(Some.File(Entry("2601.00001", null, Cdn + "demo.mp4", Cdn + "later.mp4")));
        var paper = await app.WithDbAsync(db => db.Papers.SingleAsync());
        var media = await app.WithDbAsync(db => PaperMedium.ForAsync(db, paper));
        Assert.Equal([new PaperMedium(Cdn + "demo.mp4", MediaKind.Video, Local(Cdn + "demo.mp4"), "video/mp4"), new PaperMedium(Cdn + "later.mp4", MediaKind.Video, null, null)], media);
    }

    [Fact]
    public async Task AThumbnailFromHuggingFaceStandsInUntilThePdfIsRendered()
    {
        cdn.Serve(Cdn + "social.png", TestFiles.Png(), "image/png");
        await using var app = App();
        var line = System.Text.Json.Nodes.JsonNode.Parse(Entry("2601.00001", null))!;
        line["thumbnail"] = Cdn + "social.png";
        await app.ImportAsync(Some.File(line.ToJsonString()));
        Assert.Equal(1, (await RunAsync(app)).Fetched);
        var r = await app.CreateClient().GetAsync("/media/thumbnails/2601.00001");
        Assert.Equal("image/png", r.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TestFiles.Png(), await r.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task SvgHtmlAndAnythingElseCalledAnImageAreRefused()
    {
        const string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
        cdn.Serve(Cdn + "a.svg", System.Text.Encoding.UTF8.GetBytes(svg), "image/svg+xml")
            .Serve(Cdn + "b.png", "<html><script>alert(1)</script></html>"u8.ToArray(), "text/html")
            .Serve(Cdn + "c.png", "<html><script>alert(1)</script></html>"u8.ToArray(), "image/png")
            .Serve(Cdn + "d.png", "<svg onload=alert(1)>"u8.ToArray(), "image/png");
        await using var app = App();
        await app.ImportAsync(Some.File(Entry("2601.00001", Cdn + "a.svg", Cdn + "b.png", Cdn + "c.png", Cdn + "d.png")));
        var first = await RunAsync(app);
        Assert.Equal((0, 4), (first.Fetched, first.Failed));
        var second = await RunAsync(app);
        Assert.Equal(0, second.Fetched + second.Failed); // each outcome is recorded: nothing is tried twice
        foreach (var name in new[] { "a.svg", "b.png", "c.png", "d.png" })
        {
            var row = (await RowAsync(app, Cdn + name))!;
            Assert.Equal(MediaItem.Failed, row.Status);
            Assert.StartsWith("refused:", row.Error);
            var body = await app.CreateClient().GetStringAsync(Local(Cdn + name));
            Assert.DoesNotContain("alert", body); // the placeholder, never their bytes
        }
        Assert.Equal(4, cdn.Requests.Count);
    }

    [Fact]
    public async Task LoopbackPrivateAndLinkLocalAddressesAreNeverRequested()
    {
        string[] inside = ["http://127.0.0.1:5000/a.png", "http://10.1.2.3/b.png", "http://[::1]/c.png", "http://169.254.169.254/latest/meta-data", "http://localhost/d.png"];
        await using var app = App().With("Media:AllowPrivateAddresses", "false");
        await app.ImportAsync(Some.File(Entry("2601.00001", inside[0], inside[1..])));
        Assert.Equal(5, (await RunAsync(app)).Failed);
        Assert.Empty(cdn.Requests);
        foreach (var url in inside)
            Assert.StartsWith("refused:", (await RowAsync(app, url))!.Error);
    }

    [Theory]
    [InlineData("8.8.8.8", true)]
    [InlineData("2606:4700:4700::1111", true)]
    [InlineData("127.0.0.2", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("64:ff9b::a00:1", false)]
    [InlineData("2002:c0a8:101::1", false)]
    [InlineData("0.0.0.0", false)]
    public void OnlyPublicAddressesArePublic(string address, bool expected) =>
        Assert.Equal(expected, AddressGuard.IsPublic(IPAddress.Parse(address)));

    [Fact]
    public async Task AnImageOverItsCapIsMarkedTooLarge()
    {
        cdn.Serve(Cdn + "big.jpg", TestFiles.Jpeg(5000), "image/jpeg", withLength: false);
        await using var app = App().With("Media:MaxImageBytes", "1000");
        await app.ImportAsync(Some.File(Entry("2601.00001", Cdn + "big.jpg")));
        Assert.Equal(1, (await RunAsync(app)).TooLarge);
        Assert.Equal(MediaItem.TooLarge, (await RowAsync(app, Cdn + "big.jpg"))!.Status);
    }

    [Fact]
    public async Task AddressesInTheDataAreReadAsHuggingFaceGivesThem()
    {
        Assert.Equal("https://huggingface.co/avatars/d3f6.svg", MediaUrls.Resolve("/avatars/d3f6.svg"));
        Assert.Null(MediaUrls.Resolve("file:///etc/passwd"));
        Assert.Null(MediaUrls.Resolve("javascript:alert(1)"));
        Assert.Null(MediaUrls.Resolve("//evil.example/x.png"));
        Assert.Null(MediaUrls.Remote(null, MediaKind.Avatar, "Ada"));
        var org = DailyPapers.Papers.Organization.Read("""{"name": "google", "fullname": "Google", "avatar": "https://cdn.test/g.png"}""")!;
        Assert.Equal(("google", "Google", Local("https://cdn.test/g.png") + "?name=Google"), (org.Name, org.Fullname, org.Avatar));
        Assert.Equal("taesiri", MediaUrls.Submitter("""{"avatarUrl": "/avatars/x.svg", "fullname": "taesiri"}""")!.Name);

        await using var app = new AppFactory();
        var client = app.CreateClient();
        foreach (var bad in new[] { "/media/zz", "/media/" + new string('A', 64), "/media/thumbnails" })
        {
            var r = await client.GetAsync(bad);
            Assert.Equal((HttpStatusCode.BadRequest, "text/html"), (r.StatusCode, r.Content.Headers.ContentType?.MediaType));
        }
    }

    [Fact]
    public async Task PagesMayLoadImagesAndMediaFromThisSiteOnly()
    {
        await using var app = new AppFactory();
        var csp = (await app.CreateClient().GetAsync("/")).Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("img-src 'self' data:;", csp);
        Assert.Contains("media-src 'self';", csp);
        Assert.DoesNotContain("https:", csp);
    }
}
