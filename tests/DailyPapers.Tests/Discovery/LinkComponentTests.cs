using DailyPapers.Papers;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DailyPapers.Tests.Discovery;

/// <summary>The small components the card and the paper page use to link authors, organisations and categories.</summary>
public class LinkComponentTests
{
    static async Task<string> RenderAsync<T>(Dictionary<string, object?> parameters) where T : IComponent
    {
        await using var app = new AppFactory(); // the app's own services: its HTML encoder leaves letters as they are
        await using var scope = app.Services.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, app.Services.GetRequiredService<ILoggerFactory>());
        return await renderer.Dispatcher.InvokeAsync(async () => (await renderer.RenderComponentAsync<T>(ParameterView.FromDictionary(parameters))).ToHtmlString());
    }

    static Paper Paper(string[] authors, string? categories = null, string? organization = null) => new()
    {
        Id = "2608.00001", Title = "A paper", AuthorsJson = global::DailyPapers.Ingest.Text.AuthorsJson(authors), Categories = categories, OrganizationJson = organization,
    };

    [Fact]
    public async Task AuthorLinksLinkEachShownNameAndCountTheRest()
    {
        var names = new[] { "Zoë Ørsted", "AC/DC Müller", "C", "D", "E", "F", "G", "H" };
        var html = await RenderAsync<AuthorLinks>(new() { ["Paper"] = Paper(names) });
        Assert.Equal("<a href=\"/authors/Zo%C3%AB%20%C3%98rsted\">Zoë Ørsted</a>, <a href=\"/authors/AC%2FDC%20M%C3%BCller\">AC/DC Müller</a>, " +
                     "<a href=\"/authors/C\">C</a>, <a href=\"/authors/D\">D</a>, <a href=\"/authors/E\">E</a>, <a href=\"/authors/F\">F</a> and 2 more", html.Trim());
        var all = await RenderAsync<AuthorLinks>(new() { ["Paper"] = Paper(names), ["Max"] = int.MaxValue, ["Verified"] = new HashSet<string> { "H" } });
        Assert.Equal(8, all.Split("<a href=").Length - 1);
        Assert.EndsWith("<a href=\"/authors/H\">H</a><span class=\"verified\" title=\"verified author on this site\"> ✓</span>", all.Trim());
    }

    [Fact]
    public async Task OrganisationAndCategoryLinks()
    {
        var paper = Paper(["A"], "cs.LG stat.ML", """{"_id":"x","name":"google","fullname":"Google","avatar":"https://example.org/a.png"}""");
        // The logo is the hub's own copy (or placeholder), never the remote address.
        var logo = global::DailyPapers.Media.MediaUrls.Remote("https://example.org/a.png", global::DailyPapers.Media.MediaKind.Avatar, "Google");
        Assert.StartsWith("/media/", logo);
        var link = (await RenderAsync<OrganizationLink>(new() { ["Paper"] = paper })).Trim();
        Assert.StartsWith($"<a class=\"organization who\" href=\"/organizations/google\"><img class=\"avatar\" src=\"{logo}\"", link);
        Assert.EndsWith(">Google</a>", link);
        Assert.Equal("", (await RenderAsync<OrganizationLink>(new() { ["Paper"] = Paper(["A"]) })).Trim());
        var entry = new global::DailyPapers.Feed.DailyEntry { PaperId = "2608.00001", OrganizationJson = """{"name":"tencent","fullname":"Tencent"}""" };
        Assert.Contains("href=\"/organizations/tencent\">Tencent</a>", await RenderAsync<OrganizationLink>(new() { ["Paper"] = Paper(["A"]), ["Entry"] = entry }));
        Assert.Equal("<a href=\"/categories/cs.LG\">cs.LG</a>, <a href=\"/categories/stat.ML\">stat.ML</a>", (await RenderAsync<CategoryLinks>(new() { ["Paper"] = paper })).Trim());
    }
}
