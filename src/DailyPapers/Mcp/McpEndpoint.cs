namespace DailyPapers.Mcp;

/// <summary>
/// The Model Context Protocol server at /mcp (Streamable HTTP, stateless: each call is one POST, so any instance
/// answers it and nothing is kept between calls). Tools: PaperTools (reading) and AccountTools (writing, with a
/// personal API token).
/// </summary>
public static class McpEndpoint
{
    public const string Path = "/mcp";

    public static void AddDailyPapersMcp(this IServiceCollection services) =>
        services.AddMcpServer(o => o.ServerInfo = new() { Name = "DailyPapers", Version = "1.0" })
            .WithHttpTransport(o => o.Stateless = true)
            .WithTools<PaperTools>()
            .WithTools<AccountTools>();

    // Every call counts against the votes limit (per account with a token, per client address without): an upvote
    // through MCP must not escape the limit the API's upvote route has, and 300 calls a minute leave agents room.
    public static void MapDailyPapersMcp(this WebApplication app) =>
        app.MapMcp(Path).WithTags("MCP").RequireRateLimiting("votes");
}
