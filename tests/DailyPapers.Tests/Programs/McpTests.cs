using System.Net;
using System.Text.Json;
using DailyPapers.Mcp;
using DailyPapers.Tests.Community;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace DailyPapers.Tests.Programs;

/// <summary>The app on Kestrel (a loopback port the system picks) with a day of papers and a member with an API token.</summary>
public sealed class McpHub : IAsyncLifetime
{
    public AppFactory App { get; } = new AppFactory().WithoutJobs();
    public string Endpoint { get; private set; } = "";
    public string Token { get; private set; } = "";
    public long UserId { get; private set; }

    public async Task InitializeAsync()
    {
        App.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        App.StartServer();
        Endpoint = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + McpEndpoint.Path;
        await App.ImportAsync("hf/2024-05-27.jsonl");
        var (user, token) = await Browser.UserWithTokenAsync(App, "agent@example.org");
        (UserId, Token) = (user.Id, token);
    }

    /// <summary>The official C# client over Streamable HTTP, with the token as a header when one is given.</summary>
    public Task<McpClient> ClientAsync(string? token = null) => McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
    {
        Endpoint = new Uri(Endpoint),
        TransportMode = HttpTransportMode.StreamableHttp,
        AdditionalHeaders = token is null ? null : new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
    }));

    public Task DisposeAsync() => App.DisposeAsync().AsTask();
}

public sealed class McpTests(McpHub hub) : IClassFixture<McpHub>
{
    const string Paper = "2405.15738";

    [Fact]
    public async Task TheServerListsItsTools()
    {
        await using var client = await hub.ClientAsync();
        var names = (await client.ListToolsAsync()).Select(t => t.Name).Order().ToList();
        Assert.Equal(["bookmark", "daily_papers", "get_paper", "list_collections", "search_papers", "similar_papers", "trending", "upvote"], names);
    }

    [Fact]
    public async Task DailyPapersListsADayAWeekAndAMonthLikeTheApi()
    {
        await using var client = await hub.ClientAsync();
        var api = await hub.App.CreateClient().GetStringAsync("/api/daily_papers?date=2024-05-27&limit=5");
        var day = await CallAsync(client, "daily_papers", new() { ["date"] = "2024-05-27", ["limit"] = 5 });
        Assert.Equal(Ids(JsonDocument.Parse(api).RootElement), Ids(day));
        foreach (var (key, value) in new[] { ("week", "2024-W22"), ("month", "2024-05") })
            Assert.Contains(Paper, Ids(await CallAsync(client, "daily_papers", new() { [key] = value, ["limit"] = 100 })));
        Assert.NotEmpty(Ids(await CallAsync(client, "daily_papers", [])));
    }

    [Fact]
    public async Task SearchTrendingAndSimilarAnswerTheApisShapes()
    {
        await using var client = await hub.ClientAsync();
        var hits = await CallAsync(client, "search_papers", new() { ["q"] = "ConvLLaVA", ["mode"] = "keyword" });
        Assert.Equal(Paper, hits[0].GetProperty("paper").GetProperty("id").GetString());
        Assert.True(hits[0].GetProperty("score").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Array, (await CallAsync(client, "trending", new() { ["window"] = "all" })).ValueKind);
        var similar = await CallAsync(client, "similar_papers", new() { ["id"] = Paper, ["limit"] = 3 });
        Assert.InRange(similar.GetArrayLength(), 1, 3);
        Assert.DoesNotContain(Paper, similar.EnumerateArray().Select(h => h.GetProperty("paper").GetProperty("id").GetString()));
    }

    [Fact]
    public async Task GetPaperAnswersTheSameMarkdownAsThePaperPage()
    {
        await using var client = await hub.ClientAsync();
        var result = await client.CallToolAsync("get_paper", new Dictionary<string, object?> { ["id"] = Paper + "v1" });
        Assert.NotEqual(true, result.IsError);
        var markdown = await hub.App.CreateClient().GetStringAsync($"/papers/{Paper}.md");
        Assert.StartsWith("# ConvLLaVA", Text(result));
        Assert.Equal(markdown, Text(result));
    }

    [Theory]
    [InlineData("daily_papers", "date", "2024-13-01", "date")]
    [InlineData("daily_papers", "sort", "random", "sort 'random' is not one of")]
    [InlineData("search_papers", "q", "", "")]
    [InlineData("get_paper", "id", "not-an-id", "is not an arXiv id")]
    [InlineData("get_paper", "id", "2405.99999", "no paper 2405.99999")]
    [InlineData("trending", "window", "year", "window 'year' is not one of")]
    public async Task ABadArgumentIsAToolErrorThatSaysWhy(string tool, string name, string value, string message)
    {
        await using var client = await hub.ClientAsync();
        var result = await client.CallToolAsync(tool, new Dictionary<string, object?> { [name] = value });
        Assert.True(result.IsError);
        Assert.Contains(message, Text(result));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("dp_not-a-real-token")]
    public async Task WriteToolsAreRefusedWithoutAValidToken(string? token)
    {
        await using var client = await hub.ClientAsync(token);
        foreach (var (tool, args) in new (string, Dictionary<string, object?>)[]
                 {
                     ("upvote", new() { ["id"] = Paper }),
                     ("bookmark", new() { ["id"] = Paper, ["collection"] = "Refused" }),
                     ("list_collections", []),
                 })
        {
            var result = await client.CallToolAsync(tool, args);
            Assert.True(result.IsError, tool);
            Assert.EndsWith(AccountTools.NeedsToken, Text(result));
        }
        Assert.False(await hub.App.WithDbAsync(db => db.Collections.AnyAsync(c => c.Name == "Refused")));
    }

    [Fact]
    public async Task WithATokenUpvoteAndBookmarkActForItsOwner()
    {
        await using var client = await hub.ClientAsync(hub.Token);
        var before = (await CallAsync(client, "upvote", new() { ["id"] = Paper, ["up"] = false })).GetProperty("upvotes").GetInt32();
        var vote = await CallAsync(client, "upvote", new() { ["id"] = Paper });
        Assert.True(vote.GetProperty("upvoted").GetBoolean());
        Assert.Equal(before + 1, vote.GetProperty("upvotes").GetInt32());
        Assert.True(await hub.App.WithDbAsync(db => db.Votes.AnyAsync(v => v.UserId == hub.UserId && v.PaperId == Paper)));

        var saved = await CallAsync(client, "bookmark", new() { ["id"] = Paper, ["collection"] = "To read" });
        var id = saved.GetProperty("collectionId").GetInt64();
        var again = await CallAsync(client, "bookmark", new() { ["id"] = Paper, ["collection"] = id.ToString() });
        Assert.Equal(id, again.GetProperty("collectionId").GetInt64());
        var mine = await CallAsync(client, "list_collections", []);
        var toRead = mine.EnumerateArray().Single(c => c.GetProperty("name").GetString() == "To read");
        Assert.Equal(1, toRead.GetProperty("papers").GetInt32());
        Assert.False(toRead.GetProperty("isPublic").GetBoolean());
        var missing = await client.CallToolAsync("bookmark", new Dictionary<string, object?> { ["id"] = Paper, ["collection"] = "999999" });
        Assert.True(missing.IsError);
        Assert.Contains("no collection 999999 of yours", Text(missing));
    }

    static async Task<JsonElement> CallAsync(McpClient client, string tool, Dictionary<string, object?> args)
    {
        var result = await client.CallToolAsync(tool, args);
        Assert.True(result.IsError != true, $"{tool}: {Text(result)}");
        return JsonDocument.Parse(Text(result)).RootElement;
    }

    static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text));

    static List<string?> Ids(JsonElement entries) => entries.EnumerateArray().Select(e => e.GetProperty("paper").GetProperty("id").GetString()).ToList();
}
