namespace DailyPapers.Tests.Hostile;

/// <summary>
/// Hostile input on every route of the app, one request per case, against one shared app with data (HostileApp).
/// Cases run in order within this class, and each is checked against the fingerprint the previous one left.
/// </summary>
public sealed class HostileInputTests(HostileApp app) : IClassFixture<HostileApp>
{
    public static TheoryData<CaseName> RouteValueCases => HostileCases.Names("route value");
    public static TheoryData<CaseName> QueryCases => HostileCases.Names("query");
    public static TheoryData<CaseName> BodyCases => HostileCases.Names("body");
    public static TheoryData<CaseName> HeaderCases => HostileCases.Names("header");
    public static TheoryData<CaseName> RedirectCases => HostileCases.Names("redirect");

    [Theory, MemberData(nameof(RouteValueCases))]
    public Task RouteValue(CaseName c) => RunAsync(c);

    [Theory, MemberData(nameof(QueryCases))]
    public Task Query(CaseName c) => RunAsync(c);

    [Theory, MemberData(nameof(BodyCases))]
    public Task Body(CaseName c) => RunAsync(c);

    [Theory, MemberData(nameof(HeaderCases))]
    public Task Header(CaseName c) => RunAsync(c);

    [Theory, MemberData(nameof(RedirectCases))]
    public Task Redirect(CaseName c) => RunAsync(c);

    async Task RunAsync(CaseName name)
    {
        var c = HostileCases.Find(name.Value);
        var outcome = await app.SendAsync(c);
        Answers(c, outcome);
        Verdict.Check(c, outcome);
    }

    // HOSTILE_ANSWERS=FILE lists every case's answer, passing or not, for reading the app's behaviour at a glance.
    static void Answers(HostileCase c, Outcome o)
    {
        if (Environment.GetEnvironmentVariable("HOSTILE_ANSWERS") is not { Length: > 0 } file) return;
        var answer = o.Thrown is null ? $"{o.Status} {o.ContentType}" : "threw " + o.Thrown.GetType().Name;
        File.AppendAllText(file, $"{c.Name} => {answer}{(o.Location is null ? "" : " -> " + o.Location.ReplaceLineEndings(" "))}\n");
    }
}

/// <summary>The suite itself: it covers every route, and nothing it names has gone away.</summary>
public sealed class HostileCoverageTests
{
    [Fact]
    public void EveryRouteOfTheAppCanBeFilled() =>
        Assert.Empty(Routes.All.Where(r => r.Unfillable is not null).Select(r => $"{r.Key}: {r.Unfillable}"));

    [Fact]
    public void EveryRouteOfTheAppHasCases()
    {
        var covered = HostileCases.All.Select(c => c.Route.Key).ToHashSet();
        var uncovered = Routes.All.Select(r => r.Key).Where(k => !covered.Contains(k)).ToList();
        Assert.Empty(uncovered);
    }

    [Fact]
    public void EveryRouteTheSuiteNamesExists()
    {
        var keys = Routes.All.Select(r => r.PlainKey).ToHashSet();
        var gone = HostileCases.DeclaredRoutes.Where(k => !keys.Contains(k)).ToList();
        Assert.Empty(gone);
    }

    [Fact]
    public void RoutesWithParametersGetHostileValues()
    {
        var withValues = HostileCases.All.Where(c => c.Family == "route value").Select(c => c.Route.Key).ToHashSet();
        Assert.Empty(Routes.All.Where(r => r.Slots.Count > 0 && !withValues.Contains(r.Key)).Select(r => r.Key));
    }

    [Fact]
    public void AParameterNoFillerKnowsMakesTheRouteUnfillable()
    {
        Assert.NotNull(Describe("/things/{slug}").Unfillable);
        Assert.NotNull(Describe("/things/{id:guid}").Unfillable);
        Assert.NotNull(Describe("/api/papers/{**path:regex(^[a-z]+/x$)}").Unfillable);
    }

    [Fact]
    public void ARegexCatchAllGetsTheTailThatSatisfiesIt()
    {
        var route = Describe("/api/papers/{**path:regex(/(hide|unhide)$)}");
        Assert.Null(route.Unfillable);
        Assert.Equal("/api/papers/2608.19880/hide", route.RealPath);
        Assert.Equal("/api/papers/%00/hide", route.Path(_ => "%00"));
    }

    static Route Describe(string pattern) => Routes.Describe("POST",
        new Microsoft.AspNetCore.Routing.RouteEndpoint(_ => Task.CompletedTask, Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse(pattern), 0, null, pattern));

    [Fact]
    public void ThereAreAtLeast300Cases() => Assert.InRange(HostileCases.All.Count, 300, int.MaxValue);
}
