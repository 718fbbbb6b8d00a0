using System.Net.Http.Json;
using System.Text.Json;
using DailyPapers.Papers;

namespace DailyPapers.Tests.Papers;

public class PaperMergeTests
{
    static Paper Make(int? version, string title, DateTime? snapshot = null, int upvotes = 0, string? repo = null) =>
        new() { Id = "2405.15738", Version = version, Title = title, SnapshotAt = snapshot, ImportedUpvotes = upvotes, GithubRepo = repo };

    [Fact]
    public void NewerVersionReplacesMetadataOlderDoesNot()
    {
        var paper = Make(2, "Second version");
        PaperMerge.Into(paper, Make(1, "First version"));
        Assert.Equal("Second version", paper.Title);
        PaperMerge.Into(paper, Make(3, "Third version"));
        Assert.Equal(("Third version", (int?)3), (paper.Title, paper.Version));
    }

    [Fact]
    public void FresherSnapshotWinsWhicheverArrivesFirst()
    {
        var early = Make(null, "t", new DateTime(2026, 4, 10, 0, 0, 0, DateTimeKind.Utc), upvotes: 2);
        var late = Make(null, "t", new DateTime(2026, 4, 16, 0, 0, 0, DateTimeKind.Utc), upvotes: 42, repo: "https://github.com/x/y");
        var a = Make(null, "t");
        PaperMerge.Into(a, early);
        PaperMerge.Into(a, late);
        var b = Make(null, "t");
        PaperMerge.Into(b, late);
        PaperMerge.Into(b, early);
        Assert.Equal((42, "https://github.com/x/y"), (a.ImportedUpvotes, a.GithubRepo));
        Assert.Equal((a.ImportedUpvotes, a.GithubRepo, a.SnapshotAt), (b.ImportedUpvotes, b.GithubRepo, b.SnapshotAt));
    }

    [Fact]
    public void AbsentValuesNeverEraseAndCountsNeverDrop()
    {
        var paper = Make(1, "t", upvotes: 10, repo: "https://github.com/x/y");
        PaperMerge.Into(paper, Make(1, "t", upvotes: 3));
        Assert.Equal((10, "https://github.com/x/y"), (paper.ImportedUpvotes, paper.GithubRepo));
    }

    static readonly DateTime April10 = new(2026, 4, 10, 0, 0, 0, DateTimeKind.Utc);
    static readonly DateTime April16 = new(2026, 4, 16, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>A record as arXiv gives it: versioned metadata, categories, no community fields.</summary>
    static Paper Arxiv(int version, string title, DateTime? snapshot = null) => new()
    {
        Id = "2405.15738", Version = version, Title = title, Summary = $"Abstract of {title}.", SnapshotAt = snapshot,
        AuthorsJson = $$"""[{"name":"Author of {{title}}"}]""", Categories = $"cs.CL cs.LG{version}", PrimaryCategory = "cs.CL",
    };

    /// <summary>A record as a Hugging Face daily list gives it: a snapshot of the community fields, no categories.</summary>
    static Paper HuggingFace(int? version, string title, DateTime snapshot, int upvotes, string repo) => new()
    {
        Id = "2405.15738", Version = version, Title = title, Summary = $"Abstract of {title}.", SnapshotAt = snapshot, ImportedUpvotes = upvotes,
        AuthorsJson = $$"""[{"name":"Author of {{title}}"}]""", GithubRepo = repo, GithubStars = upvotes, ProjectPage = $"https://{upvotes}.example.org",
    };

    static (string, string, string, string?, int?) Metadata(Paper p) => (p.Title, p.Summary, p.AuthorsJson, p.Categories, p.Version);

    static (int, string?, int?, string?, DateTime?) CommunityFields(Paper p) => (p.ImportedUpvotes, p.GithubRepo, p.GithubStars, p.ProjectPage, p.SnapshotAt);

    [Fact]
    public void ANewerArxivVersionWithAnOlderSnapshotStillReplacesTheMetadata()
    {
        var paper = Arxiv(1, "Version one");
        PaperMerge.Into(paper, HuggingFace(1, "Version one", April16, upvotes: 42, "https://github.com/x/fresh"));
        var newer = Arxiv(2, "Version two", snapshot: April10);
        PaperMerge.Into(paper, newer);
        Assert.Equal(Metadata(newer), Metadata(paper));
        // The Hugging Face snapshot is still the fresher one: its community fields stay.
        Assert.Equal((42, "https://github.com/x/fresh", (int?)42, "https://42.example.org", (DateTime?)April16), CommunityFields(paper));
    }

    [Fact]
    public void AnOlderArxivVersionWithAFresherSnapshotKeepsTheNewerVersionsMetadata()
    {
        var paper = Arxiv(3, "Version three", snapshot: April10);
        var before = Metadata(paper);
        PaperMerge.Into(paper, HuggingFace(2, "Version two", April16, upvotes: 7, "https://github.com/x/y"));
        Assert.Equal(before, Metadata(paper));
        // The fresher snapshot still brings its community fields.
        Assert.Equal((7, "https://github.com/x/y", (int?)7, "https://7.example.org", (DateTime?)April16), CommunityFields(paper));
    }

    [Fact]
    public void APaperFirstSeenOnHuggingFaceGetsItsCategoriesFromArxiv()
    {
        var paper = HuggingFace(null, "A title", April16, upvotes: 42, "https://github.com/x/y");
        Assert.Null(paper.Categories);
        PaperMerge.Into(paper, Arxiv(1, "A title"));
        Assert.Equal(("cs.CL cs.LG1", "cs.CL", (int?)1), (paper.Categories, paper.PrimaryCategory, paper.Version));
    }

    [Fact]
    public void TheFresherHuggingFaceCommunityFieldsStayWhenTheArxivRecordArrives()
    {
        var paper = HuggingFace(null, "A title", April16, upvotes: 42, "https://github.com/x/y");
        PaperMerge.Into(paper, Arxiv(1, "A title"));
        Assert.Equal((42, "https://github.com/x/y", (int?)42, "https://42.example.org", (DateTime?)April16), CommunityFields(paper));
    }

    [Fact]
    public async Task AnArxivImportAfterHuggingFaceFillsTheCategoriesAndKeepsUpvotesAndCode()
    {
        await using var app = new AppFactory();
        await app.ImportAsync(Some.File(Some.HfEntry("0704.0001", "2026-08-21", upvotes: 42, title: "Title on Hugging Face",
            paper: p => p["githubRepo"] = "https://github.com/x/diphoton")));
        await app.ImportAsync("kaggle/arxiv-metadata-oai-snapshot.sample200.jsonl");
        var paper = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/papers/0704.0001");
        Assert.Equal("Calculation of prompt diphoton production cross sections at Tevatron and\n  LHC energies", paper.GetProperty("title").GetString());
        Assert.Equal(2, paper.GetProperty("version").GetInt32());
        Assert.Equal(["hep-ph"], paper.GetProperty("categories").EnumerateArray().Select(c => c.GetString()));
        Assert.StartsWith("A fully differential calculation", paper.GetProperty("summary").GetString());
        Assert.Contains("P. M. Nadolsky", paper.GetProperty("authors").GetRawText());
        Assert.Equal((42, "https://github.com/x/diphoton"), (paper.GetProperty("upvotes").GetInt32(), paper.GetProperty("githubRepo").GetString()));
    }
}
