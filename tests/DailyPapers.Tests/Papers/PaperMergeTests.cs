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
}
