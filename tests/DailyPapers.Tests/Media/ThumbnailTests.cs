using System.Diagnostics;
using System.Net;
using DailyPapers.Ingest;
using DailyPapers.Media;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace DailyPapers.Tests.Media;

public sealed class ThumbnailTests(ITestOutputHelper output)
{
    const string Pdfs = "http://arxiv.test/pdf/";
    readonly StubMedia arxiv = new();
    readonly List<TimeSpan> pauses = [];

    // Without the server's jobs unless asked, as in RemoteMediaTests: the tests run the media work themselves and
    // count its requests and pauses, which the server's MediaJob, run at start, would add to.
    AppFactory App(bool jobs = false) => (jobs ? new AppFactory() : new AppFactory().WithoutJobs())
        .With("Media:Thumbnails", "true").With("Media:PdfBaseUrl", Pdfs)
        .WithServices(s =>
        {
            s.AddHttpClient<PdfThumbnails>().ConfigurePrimaryHttpMessageHandler(() => arxiv);
            s.AddSingleton<Sleep>((delay, _) => { lock (pauses) pauses.Add(delay); return Task.CompletedTask; });
        });

    static async Task ImportAsync(AppFactory app, params string[] ids) =>
        await app.ImportAsync(Some.File([.. ids.Select(id => Some.HfEntry(id, "2026-01-05"))]));

    static async Task<MediaReport> RunAsync(AppFactory app, bool dryRun = false)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<MediaWork>().RunAsync(dryRun);
    }

    static Task<List<MediaItem>> RowsAsync(AppFactory app) => app.WithDbAsync(db => db.Media.OrderBy(m => m.Key).ToListAsync());

    [Fact]
    public async Task TheFirstPdfPageIsRenderedStoredAndServedWithAPoliteGapBetweenRequests()
    {
        arxiv.Serve(Pdfs + "2601.00001", TestFiles.Pdf(), "application/pdf").Serve(Pdfs + "math/0601001", TestFiles.Pdf(), "application/pdf");
        await using var app = App();
        await ImportAsync(app, "2601.00001", "math/0601001");
        var clock = Stopwatch.StartNew();
        var report = await RunAsync(app);
        output.WriteLine($"2 PDFs fetched (stub) and rendered in {clock.ElapsedMilliseconds} ms");
        Assert.Equal(2, report.Rendered);
        Assert.Equal([TimeSpan.FromSeconds(3)], pauses); // one pause, between the two requests

        foreach (var path in new[] { "/media/thumbnails/2601.00001", "/media/thumbnails/math/0601001" })
        {
            var r = await app.CreateClient().GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal("image/png", r.Content.Headers.ContentType?.MediaType);
            Assert.Equal("nosniff", r.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal(TimeSpan.FromDays(1), r.Headers.CacheControl?.MaxAge);
            var png = await r.Content.ReadAsByteArrayAsync();
            Assert.True(TestFiles.IsPng(png));
            Assert.Equal((371, 480), TestFiles.PngSize(png)); // US Letter, longer side 480
        }
        Assert.True(File.Exists(Path.Combine(app.DataDir, "media", "thumbnails", "math_0601001.png")));
        var row = (await RowsAsync(app)).Single(m => m.Key == "thumbnail:2601.00001");
        Assert.Equal((MediaKind.Thumbnail, MediaItem.Stored, "image/png", Pdfs + "2601.00001"), (row.Kind, row.Status, row.ContentType, row.SourceUrl));
        Assert.Empty(Directory.GetFiles(Path.Combine(app.DataDir, "media", "tmp"))); // the PDFs are not kept

        Assert.Equal(0, (await RunAsync(app)).Rendered); // done once: nothing fetched again
        Assert.Equal(2, arxiv.Requests.Count);
    }

    [Fact]
    public async Task APdfOverTheCapIsNotReadToTheEndAndIsMarkedTooLarge()
    {
        // One declares its length, the other streams without one: neither is read past the cap.
        arxiv.Serve(Pdfs + "2601.00001", TestFiles.Pdf(), "application/pdf").Serve(Pdfs + "2601.00002", TestFiles.Pdf(), "application/pdf", withLength: false);
        await using var app = App().With("Media:MaxPdfBytes", "200");
        await ImportAsync(app, "2601.00001", "2601.00002");
        var report = await RunAsync(app);
        Assert.Equal((0, 2), (report.Rendered, report.TooLarge));
        Assert.All(await RowsAsync(app), m => Assert.Equal((MediaItem.TooLarge, "over 200 bytes"), (m.Status, m.Error)));
        var r = await app.CreateClient().GetAsync("/media/thumbnails/2601.00001");
        Assert.Equal("image/svg+xml", r.Content.Headers.ContentType?.MediaType); // the placeholder
    }

    [Fact]
    public async Task WithoutPdftoppmThumbnailsAreSkippedAndLeftForARunThatHasIt()
    {
        arxiv.Serve(Pdfs + "2601.00001", TestFiles.Pdf(), "application/pdf");
        await using (var app = App().With("Media:PdftoppmPath", "/nonexistent/pdftoppm"))
        {
            await ImportAsync(app, "2601.00001");
            var report = await RunAsync(app);
            Assert.Equal("pdftoppm not found (/nonexistent/pdftoppm)", report.Skipped);
            Assert.Empty(arxiv.Requests); // no PDF fetched that could not be rendered
            Assert.Empty(await RowsAsync(app));
            Assert.Equal("pdftoppm not found (/nonexistent/pdftoppm)", (await RunAsync(app, dryRun: true)).Skipped);
        }
        await using var withIt = App().With("Media:PdftoppmPath", "/usr/bin/pdftoppm");
        await ImportAsync(withIt, "2601.00001");
        Assert.Equal(1, (await RunAsync(withIt)).Rendered);
    }

    [Fact]
    public async Task ABrokenPdfOrA404IsRecordedButARefusingHostIsAskedAgainNextRun()
    {
        arxiv.Serve(Pdfs + "2601.00003", "<html>not a PDF</html>"u8.ToArray(), "text/html")
            .Answer(Pdfs + "2601.00001", () => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        await using var app = App();
        await ImportAsync(app, "2601.00003", "2601.00002", "2601.00001"); // newest first: 2601.00003, 00002, 00001
        var report = await RunAsync(app);
        Assert.Equal((2, Pdfs + "2601.00001: HTTP 503"), (report.Failed, report.Stopped));
        var rows = await RowsAsync(app);
        Assert.Equal(["thumbnail:2601.00002", "thumbnail:2601.00003"], rows.Select(m => m.Key));
        Assert.Equal("HTTP 404", rows[0].Error);
        Assert.StartsWith("pdftoppm exit", rows[1].Error);

        arxiv.Serve(Pdfs + "2601.00001", TestFiles.Pdf(), "application/pdf");
        Assert.Equal(1, (await RunAsync(app)).Rendered);
    }

    [Fact]
    public async Task APaperWithoutAThumbnailGetsAPlaceholderAndOneReadersCannotSeeA404()
    {
        await using var app = new AppFactory();
        await ImportAsync(app, "2601.00001");
        var client = app.CreateClient();
        var r = await client.GetAsync("/media/thumbnails/2601.00001v2");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("image/svg+xml", r.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromMinutes(5), r.Headers.CacheControl?.MaxAge);
        Assert.Contains(">2601.00001</text>", await r.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/media/thumbnails/2601.09999")).StatusCode);
        var bad = await client.GetAsync("/media/thumbnails/not-an-id");
        Assert.Equal((HttpStatusCode.BadRequest, "text/html"), (bad.StatusCode, bad.Content.Headers.ContentType?.MediaType));
    }

    [Fact]
    public async Task TheServerRendersThumbnailsOnItsOwnWhenTurnedOn()
    {
        var data = Directory.CreateTempSubdirectory("dailypapers-media-").FullName;
        try
        {
            await using var app = App(jobs: true).With("DataDir", data);
            await using (var first = new AppFactory().With("DataDir", data).OnDatabaseOf(app)) await ImportAsync(first, "2601.00001");
            arxiv.Serve(Pdfs + "2601.00001", TestFiles.Pdf(), "application/pdf");
            var client = app.CreateClient(); // starts the host, and with it the job
            await Eventually.Until(() => client.GetAsync("/media/thumbnails/2601.00001"), r => r.Content.Headers.ContentType?.MediaType == "image/png",
                "the job's thumbnail", show: r => r.Content.Headers.ContentType);
        }
        finally { Directory.Delete(data, recursive: true); }
    }
}
