using DailyPapers.Feed;
using DailyPapers.Ingest;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DailyPapers.Tests.Ingest;

public class ImportTests
{
    [Fact]
    public async Task HuggingFaceEntriesBecomePapersFeaturedOnTheirDay()
    {
        await using var app = new AppFactory();
        var counts = await app.ImportAsync("hf/2024-05-27.jsonl");
        var lines = Fixture.Lines("hf/2024-05-27.jsonl");
        Assert.Equal((lines.Length, lines.Length, 0), (counts.Papers.New, counts.Entries.New, counts.Rejected));
        var paper = await app.WithDbAsync(db => db.Papers.SingleAsync(p => p.Id == "2405.15738"));
        // The title as Hugging Face sends it, arXiv's line break included; pages and plain text show it on one line.
        Assert.Equal("ConvLLaVA: Hierarchical Backbones as Visual Encoder for Large Multimodal\n  Models", paper.Title);
        Assert.Equal("ConvLLaVA: Hierarchical Backbones as Visual Encoder for Large Multimodal Models", paper.DisplayTitle);
        Assert.Equal(32, paper.ImportedUpvotes);
        Assert.Contains("Chunjiang Ge", paper.AuthorsJson);
        var entry = await app.WithDbAsync(db => db.DailyEntries.SingleAsync(e => e.PaperId == "2405.15738"));
        Assert.Equal((new DateOnly(2024, 5, 27), 0), (entry.Date, entry.Position));
    }

    [Fact]
    public async Task ReimportingTheSameFileChangesNothing()
    {
        await using var app = new AppFactory();
        await app.ImportAsync("hf/week-2026-W34.jsonl");
        var again = await app.ImportAsync("hf/week-2026-W34.jsonl");
        var lines = Fixture.Lines("hf/week-2026-W34.jsonl").Length;
        Assert.Equal((0, 0, lines), (again.Papers.New, again.Papers.Updated, again.Papers.Unchanged));
        Assert.Equal((0, 0, lines), (again.Entries.New, again.Entries.Updated, again.Entries.Unchanged));
        Assert.Equal(lines - 1, await app.WithDbAsync(db => db.Papers.CountAsync())); // 2608.13558 is featured twice
    }

    [Fact]
    public async Task APaperFeaturedTwiceKeepsItsFreshestSnapshotInEitherOrder()
    {
        await using var forward = new AppFactory();
        await using var backward = new AppFactory();
        await forward.ImportAsync("hf/twice-featured.jsonl");
        await backward.ImportAsync("hf/twice-featured-reversed.jsonl");
        var a = await forward.WithDbAsync(db => db.Papers.SingleAsync());
        var b = await backward.WithDbAsync(db => db.Papers.SingleAsync());
        Assert.Equal((42, "https://github.com/gameworld-project/gameworld", "https://gameworld-project.github.io/"),
            (a.ImportedUpvotes, a.GithubRepo, a.ProjectPage));
        Assert.Equal(ExportFormat.Write(a, []), ExportFormat.Write(b, []));
        Assert.Equal(2, await forward.WithDbAsync(db => db.DailyEntries.CountAsync()));
    }

    [Fact]
    public async Task TheApiArrayShapeTakesItsDayFromTheFileName()
    {
        await using var app = new AppFactory();
        var counts = await app.ImportAsync("hf/2025-03-14.json");
        Assert.Equal((26, 0), (counts.Entries.New, counts.Rejected));
        var dates = await app.WithDbAsync(db => db.DailyEntries.Select(e => e.Date).Distinct().ToListAsync());
        Assert.Equal([new DateOnly(2025, 3, 14)], dates);
    }

    [Fact]
    public async Task KaggleMetadataKeepsVersionsCategoriesAndAuthors()
    {
        await using var app = new AppFactory();
        var counts = await app.ImportAsync("kaggle/arxiv-metadata-oai-snapshot.sample200.jsonl");
        Assert.Equal((200, 0), (counts.Papers.New, counts.Rejected));
        var p = await app.WithDbAsync(db => db.Papers.SingleAsync(x => x.Id == "0704.0001"));
        Assert.Equal("Calculation of prompt diphoton production cross sections at Tevatron and\n  LHC energies", p.Title);
        Assert.Equal("Calculation of prompt diphoton production cross sections at Tevatron and LHC energies", p.DisplayTitle);
        Assert.Equal(("hep-ph", 2, "10.1103/PhysRevD.76.013009"), (p.Categories, p.Version, p.Doi));
        Assert.Equal(new DateTime(2007, 4, 2, 19, 18, 42, DateTimeKind.Utc), p.PublishedAt);
        Assert.Contains("\"P. M. Nadolsky\"", p.AuthorsJson);
    }

    [Fact]
    public async Task RecordedArxivApiResponsesImportAndErrorsAreReported()
    {
        await using var app = new AppFactory();
        var counts = await app.ImportAsync("arxiv/id_2104.12255v1_s0_m100_6ae69987ffe1.json", "arxiv/q_testing_s0_m10_bc5a6c384fe9.json",
            "arxiv/id_astro-ph_0601001_s0_m100_3150dca9dc76.json", "arxiv/id_0000.0000_s0_m100_8b51d9633a68.json",
            "arxiv/id_abc_s0_m100_b79c8dcf6bc3.json", "arxiv/id_list_1111.2011v2.xml");
        Assert.Equal((13, 1), (counts.Papers.New, counts.Rejected));
        var p = await app.WithDbAsync(db => db.Papers.SingleAsync(x => x.Id == "2104.12255"));
        Assert.Equal(("0", 1, "cs.CR", "cs.CR"), (p.Title, p.Version, p.Categories, p.PrimaryCategory));
        Assert.True(await app.WithDbAsync(db => db.Papers.AnyAsync(x => x.Id == "astro-ph/0601001")));
        var old = await app.WithDbAsync(db => db.Papers.SingleAsync(x => x.Id == "1111.2011"));
        Assert.Equal("Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large\n  Connectivity Limit", old.Title);
        Assert.Equal("Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large Connectivity Limit", old.DisplayTitle);
    }

    [Fact]
    public async Task OaiPmhRecordsImportWithEveryVersionDate()
    {
        await using var app = new AppFactory();
        var counts = await app.ImportAsync("oai/ListRecords_arXivRaw_2016-10-20.xml", "oai/GetRecord_arXivRaw.xml");
        Assert.Equal((388, 0), (counts.Papers.New, counts.Rejected));
        var p = await app.WithDbAsync(db => db.Papers.SingleAsync(x => x.Id == "0803.4354"));
        Assert.Equal(6, p.Version);
        Assert.Equal(new DateTime(2008, 3, 30, 23, 26, 50, DateTimeKind.Utc), p.PublishedAt);
        Assert.Equal(new DateTime(2016, 10, 20, 16, 58, 38, DateTimeKind.Utc), p.UpdatedAt);
        // arXiv's line break kept in arXiv's own form; the XML's pretty-printing indentation is not.
        Assert.Equal("A O(n^8) X O(n^7) Linear Programming Model of the Traveling Salesman\n  Problem", p.Title);
        Assert.Equal("[{\"name\":\"Moustapha Diaby\"}]", p.AuthorsJson);
    }

    [Fact]
    public async Task BadRecordsAreRejectedWithTheirLineAndTheRestImports()
    {
        await using var app = new AppFactory();
        var file = Some.File(
            Some.HfEntry("2601.00001", "2026-01-05"),
            "{not json",
            Some.HfEntry("not-an-id", "2026-01-05"),
            "{\"paper\": {\"id\": \"2601.00003\"}, \"date\": \"2026-01-05\"}",
            "{\"something\": \"else\"}",
            Some.HfEntry("2601.00002", "2026-13-45"),
            Some.HfEntry("2601.00004", "2026-01-05", title: new string('x', 5000)),
            Some.HfEntry("2601.00005", "2026-01-05"));
        var rejected = new List<IngestRecord>();
        await using var scope = app.Services.CreateAsyncScope();
        using var input = InputFile.Open(file);
        var counts = await scope.ServiceProvider.GetRequiredService<Importer>().ImportAsync(input.Records(), rejected.Add);
        Assert.Equal((2, 6), (counts.Papers.New, counts.Rejected));
        Assert.Equal(["input.jsonl:2", "input.jsonl:3", "input.jsonl:4", "input.jsonl:5", "input.jsonl:6", "input.jsonl:7"],
            rejected.Select(r => Path.GetFileName(r.Location)));
        Assert.Contains("invalid JSON", rejected[0].Error);
        Assert.Contains("'not-an-id' is not an arXiv id", rejected[1].Error);
        Assert.Contains("no title", rejected[2].Error);
        Assert.Contains("date '2026-13-45' is not YYYY-MM-DD", rejected[4].Error);
        Assert.Contains("title longer than", rejected[5].Error);
    }

    [Fact]
    public async Task ExportThenImportIsLossless()
    {
        await using var first = new AppFactory();
        await first.ImportAsync("hf/week-2026-W34.jsonl", "hf/twice-featured.jsonl", "kaggle/arxiv-metadata-oai-snapshot.sample200.jsonl",
            "oai/GetRecord_arXivRaw.xml", "arxiv/id_astro-ph_0601001_s0_m100_3150dca9dc76.json");
        var exported = await ExportAsync(first);
        await using var second = new AppFactory();
        var counts = await second.ImportAsync(Some.File(exported.TrimEnd('\n').Split('\n')));
        Assert.Equal(0, counts.Rejected);
        Assert.Equal(exported, await ExportAsync(second));
        Assert.Equal(115 + 1 + 200 + 1 + 1, exported.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task DryRunCountsExactlyAndStoresNothing()
    {
        await using var app = new AppFactory();
        await using var scope = app.Services.CreateAsyncScope();
        using var input = InputFile.Open(Fixture.Path("hf/twice-featured.jsonl"));
        var counts = await scope.ServiceProvider.GetRequiredService<Importer>().ImportAsync(input.Records(), dryRun: true, batchSize: 1);
        Assert.Equal((1, 1, 2), (counts.Papers.New, counts.Papers.Updated, counts.Entries.New));
        Assert.Equal(0, await app.WithDbAsync(db => db.Papers.CountAsync()));
    }

    static async Task<string> ExportAsync(AppFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var writer = new StringWriter();
        await scope.ServiceProvider.GetRequiredService<Exporter>().ExportAsync(writer);
        return writer.ToString();
    }
}
