// huggingface_hub's paper tests (tests/test_hf_api.py, class PaperApiTest, from its PRs #2554, #3502 and #3585), ported
// to run against this server through HubClient, which reads responses as huggingface_hub does (PaperInfo, both
// timestamp rules). Upstream runs them against huggingface.co ("with_production_testing") with its live data; here
// the same calls run on recorded Hugging Face lists, so the expected values are this fixture data's.
//
// Ported:
//   test_papers_by_date / test_list_daily_papers   -> ListDailyPapersByDate (objects with ids, titles, ISO dates)
//   test_papers_today (no date)                     -> ListDailyPapersWithoutADateStartsAtTheNewestDay
//   test_daily_papers_week                          -> ListDailyPapersByWeek
//   test_daily_papers_month                         -> ListDailyPapersByMonth
//   test_daily_papers_submitter                     -> ListDailyPapersBySubmitter
//   test_daily_papers_sort                          -> ListDailyPapersSortedByTrendingAndByPublishedAt
//   test_daily_papers_p / test_daily_papers_limit   -> ListDailyPapersPagesWithPAndLimit
//   test_list_daily_papers with an invalid date     -> ListDailyPapersWithAnImpossibleDateIsABadRequest
//   test_papers_by_query / test_list_papers         -> ListPapersByQueryReadsTitles
//   (list_papers() without a query)                 -> ListPapersWithoutAQueryAnswersTheTrendingPapers
//   test_get_paper_by_id                            -> PaperInfoById
//   test_get_paper_by_id_not_found ("1234.56789")   -> PaperInfoOfAnUnknownIdIs404
// Adapted, and why:
//   - The week and month tests upstream check submitted_at, which PaperInfo takes from the entry's top-level
//     publishedAt. In Hugging Face's own data that is the arXiv publication time (before the featured day in 7,611
//     of 9,881 real entries), so the ported tests check the day each entry was featured (its "date", which
//     PaperInfo keeps as an attribute) and that submitted_at is not after the period.
//   - Upstream's expected values ("AK" for submitter akhaliq, "Attention Is All You Need" for 1706.03762) are live
//     Hugging Face data; the ported tests use the same calls with this fixture data's submitters and papers.
// Cannot apply:
//   - Nothing else in PaperApiTest: the remaining tests of test_hf_api.py concern repositories, not papers.
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Tests.HuggingFace;

public sealed class PaperApiTests : IAsyncLifetime
{
    readonly AppFactory app = new();
    HubClient api = null!;

    public async Task InitializeAsync()
    {
        await app.ImportAsync("hf/week-2026-W34.jsonl", "hf/2026-08-21.jsonl", "hf/2024-05-27.jsonl", "kaggle/arxiv-metadata-oai-snapshot.sample200.jsonl");
        api = new HubClient(app.CreateClient());
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task ListDailyPapersByDate()
    {
        var papers = await api.ListDailyPapersAsync(date: "2026-08-21");
        Assert.Equal(Fixture.Lines("hf/2026-08-21.jsonl").Length, papers.Count);
        Assert.All(papers, p =>
        {
            Assert.NotNull(p.Id);
            Assert.NotNull(p.Title);
            Assert.NotNull(p.PublishedAt);
            Assert.Equal(DateTimeKind.Utc, p.SubmittedAt!.Value.Kind);
            Assert.Equal("2026-08-21", p.Extra["date"].GetString());
        });
    }

    [Fact]
    public async Task ListDailyPapersWithoutADateStartsAtTheNewestDay()
    {
        var papers = await api.ListDailyPapersAsync();
        Assert.NotEmpty(papers);
        Assert.All(papers, p => Assert.NotNull(p.Title));
        Assert.Equal("2026-08-21", papers[0].Extra["date"].GetString());
    }

    [Fact]
    public async Task ListDailyPapersByWeek()
    {
        var papers = await api.ListDailyPapersAsync(week: "2026-W34", limit: 100);
        Assert.Equal(100, papers.Count);
        Assert.All(papers, p => Assert.InRange(p.Extra["date"].GetString()!, "2026-08-14", "2026-08-20"));
        Assert.All(papers, p => Assert.True(p.SubmittedAt < new DateTime(2026, 8, 21, 0, 0, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public async Task ListDailyPapersByMonth()
    {
        var papers = await api.ListDailyPapersAsync(month: "2026-08", limit: 100);
        Assert.NotEmpty(papers);
        Assert.All(papers, p => Assert.StartsWith("2026-08-", p.Extra["date"].GetString()));
        Assert.All(papers, p => Assert.True(p.SubmittedAt < new DateTime(2026, 9, 1, 0, 0, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public async Task ListDailyPapersBySubmitter()
    {
        var papers = await api.ListDailyPapersAsync(submitter: "williamium");
        Assert.Equal(4, papers.Count);
        Assert.All(papers, p => Assert.Equal("William Li", p.SubmittedBy!.Fullname));
        Assert.Empty(await api.ListDailyPapersAsync(submitter: "nobody-submitted-this"));
    }

    [Fact]
    public async Task ListDailyPapersSortedByTrendingAndByPublishedAt()
    {
        var trending = await api.ListDailyPapersAsync(sort: "trending", limit: 20);
        var expected = await app.WithDbAsync(db => db.Papers.Where(p => db.DailyEntries.Any(e => e.PaperId == p.Id))
            .OrderByDescending(p => p.Trending).ThenByDescending(p => p.ImportedUpvotes + p.LocalUpvotes).ThenBy(p => p.Id)
            .Select(p => p.Id).Take(20).ToListAsync());
        Assert.Equal(expected, trending.Select(p => p.Id));
        var published = await api.ListDailyPapersAsync(date: "2026-08-21", sort: "publishedAt");
        Assert.Equal((await api.ListDailyPapersAsync(date: "2026-08-21")).Select(p => p.Id), published.Select(p => p.Id));
    }

    [Fact]
    public async Task ListDailyPapersPagesWithPAndLimit()
    {
        var first = await api.ListDailyPapersAsync(week: "2026-W34", limit: 5);
        var second = await api.ListDailyPapersAsync(week: "2026-W34", limit: 5, p: 1);
        var both = await api.ListDailyPapersAsync(week: "2026-W34", limit: 10);
        Assert.Equal((5, 5), (first.Count, second.Count));
        Assert.Equal(both.Select(p => p.Id), first.Concat(second).Select(p => p.Id));
    }

    [Fact]
    public async Task ListDailyPapersWithAnImpossibleDateIsABadRequest()
    {
        var error = await Assert.ThrowsAsync<HubHttpError>(() => api.ListDailyPapersAsync(date: "2025-13-40"));
        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
    }

    [Fact]
    public async Task ListPapersByQueryReadsTitles()
    {
        var papers = await api.ListPapersAsync("diphoton");
        Assert.NotEmpty(papers);
        Assert.Contains("Calculation of prompt diphoton production cross sections at Tevatron and LHC energies", papers.Select(p => p.Title));
        Assert.All(papers, p => Assert.Equal(JsonValueKind.Number, p.Comments.ValueKind));
    }

    [Fact]
    public async Task ListPapersWithoutAQueryAnswersTheTrendingPapers()
    {
        var papers = await api.ListPapersAsync();
        Assert.NotEmpty(papers);
        Assert.Equal((await api.ListDailyPapersAsync(sort: "trending", limit: papers.Count)).Select(p => p.Id), papers.Select(p => p.Id));
    }

    [Fact]
    public async Task PaperInfoById()
    {
        var paper = await api.PaperInfoAsync("2608.13210");
        Assert.Equal("NARU: A Benchmark for NARrative Evolution and Cultural Nuance Understanding in Japanese Extreme Long Video", paper.Title);
        Assert.Equal(new DateTime(2026, 8, 13, 0, 0, 0, DateTimeKind.Utc), paper.PublishedAt);
        Assert.Equal(new DateTime(2026, 8, 21, 0, 0, 0, DateTimeKind.Utc), paper.SubmittedAt);
        Assert.Equal("yuhenghuang", paper.SubmittedBy!.Username);
        // A paper imported from arXiv has a comment line; PaperInfo.comments must still be the count.
        var arxiv = await api.PaperInfoAsync("0704.0001");
        Assert.Equal(JsonValueKind.Number, arxiv.Comments.ValueKind);
        Assert.StartsWith("37 pages", arxiv.Extra["arxivComment"].GetString());
    }

    [Theory]
    [InlineData("1234.56789")]
    [InlineData("2608.99999")]
    [InlineData("math/0601001")]
    public async Task PaperInfoOfAnUnknownIdIs404(string id)
    {
        var error = await Assert.ThrowsAsync<HubHttpError>(() => api.PaperInfoAsync(id));
        Assert.Equal(HttpStatusCode.NotFound, error.Status);
        var malformed = await Assert.ThrowsAsync<HubHttpError>(() => api.PaperInfoAsync("not-an-id"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.Status);
    }
}
