using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DailyPapers.Accounts;
using DailyPapers.Digest;
using DailyPapers.Stats;
using DailyPapers.Tests.Community;
using DailyPapers.Tests.Digest;
using Microsoft.Extensions.DependencyInjection;

namespace DailyPapers.Tests.Stats;

/// <summary>
/// /stats and its charts' JSON: each chart's numbers are exactly what the fixtures say (the expectations are computed
/// here from the fixture files, not by the app's code), the page draws one rect per non-zero number of that JSON,
/// hidden papers count nowhere, and the page keeps to the content policy and says in words what each chart shows.
/// </summary>
public partial class StatsTests
{
    const string Hf = "hf/week-2026-W34.jsonl", HfDay = "hf/2026-08-21.jsonl", Kaggle = "kaggle/arxiv-metadata-oai-snapshot.sample200.jsonl";
    const string Keywords = "hf/2025-03-14.json";
    static readonly string[] Charts = ["papers-per-day", "upvotes", "categories", "keywords", "deliveries"];
    static readonly DateTimeOffset Now = new(2026, 8, 22, 6, 0, 0, TimeSpan.Zero);

    static AppFactory App() => new AppFactory().WithoutJobs().WithServices(s => s.AddSingleton<TimeProvider>(new TestClock(Now)));

    static async Task<JsonElement> ChartAsync(AppFactory app, string name) =>
        await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/stats/charts/{name}");

    [Fact]
    public async Task PapersPerDayCountsEachDaysPapersOverTheNinetyDaysUpToTheLatest()
    {
        await using var app = App();
        await app.ImportAsync(Hf, HfDay);
        var expected = HfLines(Hf, HfDay).GroupBy(l => l.Date).OrderBy(g => g.Key)
            .Select(g => (g.Key, g.Select(l => l.Id).Distinct().Count())).ToList();
        var chart = await ChartAsync(app, "papers-per-day");
        Assert.Equal("2026-08-21", chart.GetProperty("to").GetString());
        Assert.Equal("2026-05-24", chart.GetProperty("from").GetString()); // 90 days, both ends included
        Assert.Equal(expected, chart.GetProperty("days").EnumerateArray().Select(d => (d.GetProperty("date").GetString()!, d.GetProperty("papers").GetInt32())).ToList());
    }

    [Fact]
    public async Task UpvotesBucketEveryPaperByImportedPlusLocalVotes()
    {
        await using var app = App();
        await app.ImportAsync(Hf, HfDay);
        // A paper Hugging Face counted 4 upvotes for, plus one cast here: 5, the next bucket.
        var lines = HfLines(Hf, HfDay);
        var voted = lines.GroupBy(l => l.Id).First(g => g.Max(l => l.Upvotes) == 4).Key;
        var (_, token) = await Browser.UserWithTokenAsync(app, "voter@example.org");
        Assert.True((await Browser.SendAsync(app, HttpMethod.Post, $"/api/papers/{voted}/upvote", token)).IsSuccessStatusCode);
        // Counts never go down on import: a paper listed twice keeps its highest count.
        var upvotes = lines.GroupBy(l => l.Id).Select(g => g.Max(l => l.Upvotes) + (g.Key == voted ? 1 : 0)).ToList();
        int[] lower = [0, 1, 5, 10, 25, 50, 100];
        var expected = lower.Select((min, i) => upvotes.Count(u => u >= min && (i == lower.Length - 1 || u < lower[i + 1]))).ToList();
        var chart = await ChartAsync(app, "upvotes");
        Assert.Equal(["0", "1–4", "5–9", "10–24", "25–49", "50–99", "100+"], chart.GetProperty("buckets").EnumerateArray().Select(b => b.GetProperty("label").GetString()!));
        Assert.Equal(expected, chart.GetProperty("buckets").EnumerateArray().Select(b => b.GetProperty("papers").GetInt32()));
        Assert.Equal(132, expected.Sum()); // 115 + 17 distinct papers
    }

    [Fact]
    public async Task CategoriesCountPapersPerCategoryByMonthAndSayHowManyCarryThem()
    {
        await using var app = App();
        await app.ImportAsync(Kaggle, HfDay); // Hugging Face's papers carry no categories
        var papers = Fixture.Lines(Kaggle).Select(l => Some.Json(l)).Select(e => (
            Month: Rfc1123(e.GetProperty("versions")[0].GetProperty("created").GetString()!).ToString("yyyy-MM"),
            Names: e.GetProperty("categories").GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct().ToList())).ToList();
        var chart = await ChartAsync(app, "categories");
        AssertTop(chart, papers, "2007-04");
        Assert.Equal(200, chart.GetProperty("coverage").GetProperty("withCategories").GetInt32());
        Assert.Equal(217, chart.GetProperty("coverage").GetProperty("all").GetInt32());
        Assert.Contains("200 of 217 papers here carry them", await app.CreateClient().GetStringAsync("/stats"));
    }

    [Fact]
    public async Task KeywordsCountPapersPerKeywordByMonthWhateverTheCapitals()
    {
        await using var app = App();
        // The fixture's day (all published in March 2025), and three papers of other months with spellings that differ in case.
        var extra = Some.File(
            Some.HfEntry("2411.00001", "2024-11-05", paper: p => Tag(p, "2024-11-04T00:00:00.000Z", "LLMs", "large language models", "Large Language Models")),
            Some.HfEntry("2502.00002", "2025-02-10", paper: p => Tag(p, "2025-02-07T00:00:00.000Z", "Large Language Models", "GRPO")),
            Some.HfEntry("2304.00003", "2023-04-03", paper: p => Tag(p, "2023-04-01T00:00:00.000Z", "ancient history")));
        await app.ImportAsync(Keywords);
        await ImportFileAsync(app, extra);
        var papers = JsonDocument.Parse(File.ReadAllText(Fixture.Path(Keywords))).RootElement.EnumerateArray()
            .Select(e => e.GetProperty("paper")).Where(p => p.TryGetProperty("ai_keywords", out var k) && k.ValueKind == JsonValueKind.Array)
            .Select(p => (Month: p.GetProperty("publishedAt").GetDateTime().ToUniversalTime().ToString("yyyy-MM"),
                Names: p.GetProperty("ai_keywords").EnumerateArray().Select(k => k.GetString()!.Trim()).Where(k => k.Length > 0).ToList()))
            .Concat([("2024-11", ["LLMs", "large language models", "Large Language Models"]), ("2025-02", ["Large Language Models", "GRPO"]), ("2023-04", ["ancient history"])])
            .ToList();
        var chart = await ChartAsync(app, "keywords");
        AssertTop(chart, papers, "2025-03");
        // Nov 2024 once (its paper spells it twice), Feb 2025 once; shown as most papers write it.
        var llm = chart.GetProperty("series").EnumerateArray().Single(s => s.GetProperty("name").GetString()!.Equals("large language models", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("Large Language Models", llm.GetProperty("name").GetString());
        Assert.Equal(2, llm.GetProperty("counts").EnumerateArray().Count(c => c.GetInt32() > 0));
    }

    [Fact]
    public async Task DeliveriesCountSentAndFailedDigestsPerDayOverTheLastThirtyDays()
    {
        await using var app = App();
        var day = Now.UtcDateTime;
        await app.WithDbAsync(async db =>
        {
            db.Outbox.AddRange(
                Mail("a", "digest", OutboxStatus.Sent, sentAt: day.AddHours(-1)),                 // 22 Aug, today
                Mail("b", "digest", OutboxStatus.Sent, sentAt: day.AddDays(-1)),                  // 21 Aug
                Mail("c", "digest", OutboxStatus.Sent, sentAt: day.AddDays(-1).AddHours(3)),      // 21 Aug
                Mail("d", "digest", OutboxStatus.Failed, claimedAt: day.AddDays(-1).AddHours(2)), // 21 Aug, its last attempt
                Mail("e", "digest", OutboxStatus.Failed, claimedAt: day.AddDays(-12)),            // 10 Aug, failed only
                Mail("f", "digest", OutboxStatus.Sent, sentAt: day.AddDays(-29)),                 // 24 Jul, the window's first day
                Mail("g", "digest", OutboxStatus.Sent, sentAt: day.AddDays(-30)),                 // 23 Jul: before the window
                Mail("h", "confirm", OutboxStatus.Sent, sentAt: day.AddHours(-2)),                // not a digest
                Mail("i", "digest", OutboxStatus.Pending),                                        // not settled
                Mail("j", "digest", OutboxStatus.Cancelled, claimedAt: day.AddHours(-3)));
            return await db.SaveChangesAsync();
        });
        var chart = await ChartAsync(app, "deliveries");
        Assert.Equal(("2026-07-24", "2026-08-22"), (chart.GetProperty("from").GetString(), chart.GetProperty("to").GetString()));
        Assert.Equal([("2026-07-24", 1, 0), ("2026-08-10", 0, 1), ("2026-08-21", 2, 1), ("2026-08-22", 1, 0)],
            chart.GetProperty("days").EnumerateArray().Select(d => (d.GetProperty("date").GetString()!, d.GetProperty("sent").GetInt32(), d.GetProperty("failed").GetInt32())));
    }

    [Fact]
    public async Task ThePageDrawsOneRectPerNonZeroNumberOfEachChartsJson()
    {
        await using var app = App();
        await app.ImportAsync(Hf, HfDay, Kaggle, Keywords);
        await app.WithDbAsync(async db =>
        {
            db.Outbox.AddRange(Mail("a", "digest", OutboxStatus.Sent, sentAt: Now.UtcDateTime.AddDays(-1)), Mail("b", "digest", OutboxStatus.Failed, claimedAt: Now.UtcDateTime.AddDays(-1)),
                Mail("c", "digest", OutboxStatus.Sent, sentAt: Now.UtcDateTime.AddDays(-3)));
            return await db.SaveChangesAsync();
        });
        var sections = Sections(await app.CreateClient().GetStringAsync("/stats"));
        foreach (var name in Charts)
        {
            var numbers = NonZero(await ChartAsync(app, name));
            Assert.True(numbers > 0, $"{name}: the fixtures give it numbers");
            Assert.Equal(numbers, Rects().Matches(sections[name]).Count);
        }
    }

    [Fact]
    public async Task AHiddenPaperIsCountedInNoChart()
    {
        await using var app = App();
        await app.ImportAsync(Keywords, Kaggle);
        var before = await AllChartsAsync(app);
        var (_, moderator) = await Browser.UserWithTokenAsync(app, "mod@example.org", Roles.Moderator);
        var withKeywords = JsonDocument.Parse(File.ReadAllText(Fixture.Path(Keywords))).RootElement.EnumerateArray()
            .First(e => e.GetProperty("paper").TryGetProperty("ai_keywords", out _)).GetProperty("paper").GetProperty("id").GetString();
        foreach (var id in new[] { withKeywords, "0704.0001" })
            Assert.Equal(HttpStatusCode.NoContent, (await Browser.SendAsync(app, HttpMethod.Post, $"/api/papers/{id}/hide", moderator)).StatusCode);
        var after = await AllChartsAsync(app);
        Assert.Equal(Sum(before["papers-per-day"], "days", "papers") - 1, Sum(after["papers-per-day"], "days", "papers"));
        Assert.Equal(Sum(before["upvotes"], "buckets", "papers") - 2, Sum(after["upvotes"], "buckets", "papers"));
        Assert.Equal(before["categories"].GetProperty("coverage").GetProperty("withCategories").GetInt32() - 1,
            after["categories"].GetProperty("coverage").GetProperty("withCategories").GetInt32());
        Assert.True(Sum(after["categories"], "series", "total") < Sum(before["categories"], "series", "total"));
        Assert.True(Sum(after["keywords"], "series", "total") < Sum(before["keywords"], "series", "total"));
    }

    [Fact]
    public async Task EveryChartSaysInWordsWhatItShowsAndThePageHasNoInlineStyle()
    {
        await using var app = App();
        await app.ImportAsync(Hf, HfDay, Kaggle, Keywords);
        var html = await app.CreateClient().GetStringAsync("/stats");
        Assert.DoesNotMatch(@"\sstyle\s*=|<style|<script(?![^>]*\ssrc=)", html);
        var svgs = Regex.Matches(html, "<svg[^>]*>");
        Assert.Equal(4, svgs.Count); // no deliveries yet
        foreach (Match svg in svgs)
        {
            Assert.Contains("role=\"img\"", svg.Value);
            Assert.Matches("aria-label=\"[^\"]{40,}\"", svg.Value);
        }
        // Each picture is followed by its numbers as a table, in words.
        Assert.Equal(4, Regex.Matches(html, "</svg>.*?<details><summary>The numbers</summary>\\s*(<div class=\"scroll\"[^>]*>)?\\s*<table class=\"numbers\">", RegexOptions.Singleline).Count);
        Assert.Contains("<a href=\"/calendar\">", html);
        Assert.Contains("No data yet: no digest was sent or failed", html);
    }

    [Fact]
    public async Task AnEmptyHubRendersTheStatsPageWithNoDataYet()
    {
        await using var app = App();
        var r = await app.CreateClient().GetAsync("/stats");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var html = await r.Content.ReadAsStringAsync();
        Assert.Equal(5, Regex.Matches(html, "<p class=\"notice\">No data yet").Count);
        Assert.DoesNotContain("<svg", html);
        foreach (var name in Charts)
            Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync($"/api/stats/charts/{name}")).StatusCode);
        Assert.Equal(0, NonZero(await ChartAsync(app, "upvotes")));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(4, 1)]
    [InlineData(5, 2)]
    [InlineData(9, 2)]
    [InlineData(10, 3)]
    [InlineData(24, 3)]
    [InlineData(25, 4)]
    [InlineData(49, 4)]
    [InlineData(50, 5)]
    [InlineData(99, 5)]
    [InlineData(100, 6)]
    [InlineData(250, 6)]
    [InlineData(-1, 0)]
    public void UpvoteBucketsAreZeroOneToFourFiveToNineAndSoOn(int upvotes, int bucket) =>
        Assert.Equal(bucket, UpvoteHistogram.BucketOf(upvotes));

    // ---- expectations from the fixture files, and reading the answers ----

    sealed record HfLine(string Date, string Id, int Upvotes);

    static List<HfLine> HfLines(params string[] files) => files.SelectMany(Fixture.Lines).Select(l => Some.Json(l))
        .Select(e => new HfLine(e.GetProperty("date").GetString()!, e.GetProperty("paper").GetProperty("id").GetString()!, e.GetProperty("paper").GetProperty("upvotes").GetInt32()))
        .ToList();

    /// <summary>
    /// The chart's months are the 12 up to lastMonth and its series the 10 names most papers of those months carry
    /// (ties by name), counting each paper once per name (its first spelling); names that differ only in case are one,
    /// shown in the spelling most papers use (ties by ordinal order).
    /// </summary>
    static void AssertTop(JsonElement chart, List<(string Month, List<string> Names)> papers, string lastMonth)
    {
        var last = DateTime.ParseExact(lastMonth, "yyyy-MM", null);
        var months = Enumerable.Range(0, 12).Select(i => last.AddMonths(i - 11).ToString("yyyy-MM")).ToList();
        var cells = papers.Where(p => months.Contains(p.Month))
            .SelectMany(p => p.Names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Select(g => (p.Month, Key: g.First(), Spelling: g.First()))).ToList();
        var expected = cells.GroupBy(c => c.Key, StringComparer.OrdinalIgnoreCase).Select(g => (
                Name: g.GroupBy(c => c.Spelling).OrderByDescending(s => s.Count()).ThenBy(s => s.Key, StringComparer.Ordinal).First().Key,
                Total: g.Count(),
                Counts: months.Select(m => g.Count(c => c.Month == m)).ToList()))
            .OrderByDescending(s => s.Total).ThenBy(s => s.Name, StringComparer.Ordinal).Take(10).ToList();
        Assert.Equal(months, chart.GetProperty("months").EnumerateArray().Select(m => m.GetString()!));
        var series = chart.GetProperty("series").EnumerateArray().Select(s => (
            Name: s.GetProperty("name").GetString()!, Total: s.GetProperty("total").GetInt32(),
            Counts: s.GetProperty("counts").EnumerateArray().Select(c => c.GetInt32()).ToList())).ToList();
        Assert.Equal(expected.Select(e => (e.Name, e.Total)), series.Select(s => (s.Name, s.Total)));
        Assert.Equal(expected.SelectMany(e => e.Counts), series.SelectMany(s => s.Counts));
    }

    static DateTime Rfc1123(string s) => DateTime.ParseExact(s, "ddd, d MMM yyyy HH:mm:ss 'GMT'", System.Globalization.CultureInfo.InvariantCulture,
        System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);

    static void Tag(JsonObject paper, string publishedAt, params string[] keywords)
    {
        paper["publishedAt"] = publishedAt;
        paper["ai_keywords"] = new JsonArray(keywords.Select(k => (JsonNode?)JsonValue.Create(k)).ToArray());
    }

    static async Task ImportFileAsync(AppFactory app, string path)
    {
        await using var scope = app.Services.CreateAsyncScope();
        using var input = global::DailyPapers.Ingest.InputFile.Open(path);
        await scope.ServiceProvider.GetRequiredService<global::DailyPapers.Ingest.Importer>().ImportAsync(input.Records());
    }

    static OutboxMessage Mail(string key, string kind, string status, DateTime? sentAt = null, DateTime? claimedAt = null) => new()
    {
        Key = $"{kind}:test:{key}", Kind = kind, Recipient = $"{key}@example.org", Status = status,
        CreatedAt = Now.UtcDateTime.AddDays(-40), NextAttemptAt = Now.UtcDateTime.AddDays(-40), SentAt = sentAt, ClaimedAt = claimedAt ?? sentAt,
    };

    static async Task<Dictionary<string, JsonElement>> AllChartsAsync(AppFactory app)
    {
        var charts = new Dictionary<string, JsonElement>();
        foreach (var name in Charts) charts[name] = await ChartAsync(app, name);
        return charts;
    }

    static int Sum(JsonElement chart, string list, string field) => chart.GetProperty(list).EnumerateArray().Sum(x => x.GetProperty(field).GetInt32());

    /// <summary>Every non-zero count in a chart's JSON: a day's papers, a bucket, a month of a series, a day's sent or failed.</summary>
    static int NonZero(JsonElement chart) =>
        (chart.TryGetProperty("days", out var days) ? days.EnumerateArray().Sum(d => new[] { "papers", "sent", "failed" }.Count(f => d.TryGetProperty(f, out var n) && n.GetInt32() > 0)) : 0)
        + (chart.TryGetProperty("buckets", out var buckets) ? buckets.EnumerateArray().Count(b => b.GetProperty("papers").GetInt32() > 0) : 0)
        + (chart.TryGetProperty("series", out var series) ? series.EnumerateArray().Sum(s => s.GetProperty("counts").EnumerateArray().Count(c => c.GetInt32() > 0)) : 0);

    /// <summary>The page's sections by chart name (their headings' ids name them as the JSON routes do).</summary>
    static Dictionary<string, string> Sections(string html) =>
        Regex.Matches(html, "<section class=\"stats\" aria-labelledby=\"(?<id>[^\"]+)\">(?<body>.*?)</section>", RegexOptions.Singleline)
            .ToDictionary(m => m.Groups["id"].Value, m => m.Groups["body"].Value);

    [GeneratedRegex("<rect class=\"bar ")]
    private static partial Regex Rects();
}
