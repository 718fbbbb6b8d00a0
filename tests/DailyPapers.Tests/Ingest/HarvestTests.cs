using System.Net;
using DailyPapers.Ingest;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DailyPapers.Tests.Ingest;

public class HarvestTests
{
    readonly StubArxiv arxiv = new();
    readonly List<TimeSpan> pauses = [];

    AppFactory App() => new AppFactory()
        .With("Harvest:BaseUrl", "http://arxiv.test/oai2")
        .WithServices(s =>
        {
            s.AddHttpClient<Harvester>().ConfigurePrimaryHttpMessageHandler(() => arxiv);
            s.AddSingleton<Sleep>((delay, _) => { pauses.Add(delay); return Task.CompletedTask; });
        });

    static async Task<HarvestReport> HarvestAsync(AppFactory app, string categories, string? from = "2016-10-20", bool dryRun = false)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var request = new HarvestRequest(categories.Split(','), from is null ? null : DateOnly.Parse(from), null, dryRun);
        return await scope.ServiceProvider.GetRequiredService<Harvester>().HarvestAsync(request);
    }

    [Fact]
    public async Task FollowsResumptionTokensAndKeepsOnlyTheAskedCategories()
    {
        arxiv.Serve("oai/page1.xml").Serve("oai/page2.xml");
        await using var app = App();
        var report = await HarvestAsync(app, "math");
        Assert.Equal(
            ["http://arxiv.test/oai2?verb=ListRecords&metadataPrefix=arXivRaw&set=math&from=2016-10-20",
             "http://arxiv.test/oai2?verb=ListRecords&resumptionToken=1403493%7C201"], arxiv.Requests);
        var stored = await app.WithDbAsync(db => db.Papers.Select(p => p.Categories).ToListAsync());
        Assert.NotEmpty(stored);
        Assert.All(stored, c => Assert.Contains(c!.Split(' '), x => x.StartsWith("math.") || x == "math"));
        Assert.Equal(stored.Count, report.Counts.Papers.New);
        Assert.Equal(387 - stored.Count, report.Skipped);
        Assert.Equal([TimeSpan.FromSeconds(3)], pauses); // one polite pause between the two requests
    }

    [Fact]
    public async Task WaitsAsLongAsRetryAfterSaysThenRetries()
    {
        arxiv.Status(HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(20)).Serve("oai/page2.xml");
        await using var app = App();
        var report = await HarvestAsync(app, "cs");
        Assert.Equal(2, arxiv.Requests.Count);
        Assert.Contains(TimeSpan.FromSeconds(20), pauses);
        Assert.True(report.Counts.Papers.New > 0);
    }

    [Fact]
    public async Task GivesUpAfterTheRetryLimitAndSaysSo()
    {
        for (var i = 0; i < 10; i++) arxiv.Status(HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(1));
        await using var app = App().With("Harvest:MaxRetries", "2");
        var error = await Assert.ThrowsAsync<HarvestException>(() => HarvestAsync(app, "cs"));
        Assert.Contains("still refused after 3 tries", error.Message);
    }

    [Fact]
    public async Task AKilledHarvestResumesFromItsSavedToken()
    {
        arxiv.Serve("oai/page1.xml").Status(HttpStatusCode.InternalServerError);
        await using var app = App();
        await Assert.ThrowsAsync<HarvestException>(() => HarvestAsync(app, "math"));
        var saved = await app.WithDbAsync(db => db.HarvestStates.SingleAsync());
        Assert.Equal(("1403493|201", (DateOnly?)new DateOnly(2016, 10, 20)), (saved.ResumptionToken, saved.TokenFrom));

        arxiv.Serve("oai/page2.xml");
        await HarvestAsync(app, "math", from: null);
        Assert.EndsWith("resumptionToken=1403493%7C201", arxiv.Requests[^1]);
        var done = await app.WithDbAsync(db => db.HarvestStates.SingleAsync());
        Assert.Null(done.ResumptionToken);
        Assert.Equal(new DateOnly(2016, 10, 21), done.LastDatestamp);
    }

    [Fact]
    public async Task TheNextHarvestStartsFromTheLastDatestampAndFindsNothingNew()
    {
        arxiv.Serve("oai/page1.xml").Serve("oai/page2.xml").Serve("oai/noRecordsMatch.xml");
        await using var app = App();
        await HarvestAsync(app, "math");
        var again = await HarvestAsync(app, "math", from: null);
        Assert.Contains("from=2016-10-21", arxiv.Requests[^1]);
        Assert.False(again.Counts.AnythingNew);
    }

    [Fact]
    public async Task ADryRunStoresNothing()
    {
        arxiv.Serve("oai/page2.xml");
        await using var app = App();
        var report = await HarvestAsync(app, "cs", dryRun: true);
        Assert.True(report.Counts.Papers.New > 0);
        Assert.Equal(0, await app.WithDbAsync(db => db.Papers.CountAsync()));
        Assert.Equal(0, await app.WithDbAsync(db => db.HarvestStates.CountAsync()));
    }

    [Fact]
    public async Task PhysicsArchivesLiveInThePhysicsSet()
    {
        Assert.True(ArxivSets.TrySetFor("hep-th", out var set));
        Assert.Equal("physics:hep-th", set);
        Assert.True(ArxivSets.TrySetFor("cs.LG", out set));
        Assert.Equal("cs", set);
        Assert.False(ArxivSets.TrySetFor("nonsense.XX", out _));
        arxiv.Serve("oai/noRecordsMatch.xml");
        await using var app = App();
        await Assert.ThrowsAsync<HarvestException>(() => HarvestAsync(app, "bogus"));
        Assert.Empty(arxiv.Requests);
    }
}

public class HarvestJobTests
{
    [Fact]
    public async Task TheServerHarvestsConfiguredCategoriesOnItsOwn()
    {
        var arxiv = new StubArxiv().Serve("oai/page2.xml");
        await using var app = new AppFactory()
            .With("Harvest:BaseUrl", "http://arxiv.test/oai2").With("Harvest:Categories", "cs, math")
            .WithServices(s =>
            {
                s.AddHttpClient<Harvester>().ConfigurePrimaryHttpMessageHandler(() => arxiv);
                s.AddSingleton<Sleep>((_, _) => Task.CompletedTask);
            });
        _ = app.Server;
        await Eventually.Until(() => app.WithDbAsync(db => db.Papers.CountAsync()), papers => papers > 0, "the server's own harvest to store papers");
        Assert.Contains("set=cs", arxiv.Requests[0]);
    }
}

public class HarvestNetworkTests
{
    [Fact]
    public async Task NetworkErrorsAreRetriedThenReportedAsAHarvestError()
    {
        var arxiv = new StubArxiv(); // answers nothing: every request fails like a refused connection
        await using var app = new AppFactory().With("Harvest:BaseUrl", "http://arxiv.test/oai2").With("Harvest:MaxRetries", "2")
            .WithServices(s =>
            {
                s.AddHttpClient<Harvester>().ConfigurePrimaryHttpMessageHandler(() => arxiv);
                s.AddSingleton<Sleep>((_, _) => Task.CompletedTask);
            });
        await using var scope = app.Services.CreateAsyncScope();
        var harvest = scope.ServiceProvider.GetRequiredService<Harvester>().HarvestAsync(new HarvestRequest(["cs"], null, null, false));
        var error = await Assert.ThrowsAsync<HarvestException>(() => harvest);
        Assert.Equal(3, arxiv.Requests.Count);
        Assert.Contains("no answer queued", error.Message);
    }
}
