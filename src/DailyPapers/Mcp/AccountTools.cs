using System.ComponentModel;
using DailyPapers.Accounts;
using DailyPapers.Collections;
using DailyPapers.Votes;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace DailyPapers.Mcp;

/// <summary>
/// The write tools of /mcp: they act for the owner of a personal API token (`Authorization: Bearer dp_…`, made on
/// /account), through the same services as the API (VoteService, CollectionService). Only a bearer token counts: a
/// browser's session cookie could ride along on a request some other site makes, a header it cannot.
/// </summary>
[McpServerToolType]
public sealed class AccountTools(IHttpContextAccessor http)
{
    public const string NeedsToken = "this tool needs a valid personal API token (it is missing, unknown or revoked): make one on /account and send it as the header Authorization: Bearer dp_…";

    [McpServerTool(Name = "upvote", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Upvote a paper, or withdraw your upvote (up=false); idempotent. Needs a personal API token (Authorization: Bearer).")]
    public async Task<VotesApi.UpvoteResponse> Upvote(VoteService votes,
        [Description("an arXiv id")] string id,
        [Description("true (default) to upvote, false to withdraw")] bool up = true,
        CancellationToken ct = default)
    {
        var user = UserId();
        var key = PaperTools.Key(id);
        var state = await votes.SetAsync(user, key.Id, up, ct) ?? throw new McpException($"no paper {key}");
        return new VotesApi.UpvoteResponse(state.PaperId, state.Upvoted, state.Upvotes);
    }

    [McpServerTool(Name = "list_collections", ReadOnly = true, OpenWorld = false)]
    [Description("Your collections (bookmark lists) with their ids and numbers of papers. Needs a personal API token.")]
    public Task<List<CollectionSummary>> ListCollections(CollectionService collections, CancellationToken ct = default) =>
        collections.MineAsync(UserId(), ct);

    [McpServerTool(Name = "bookmark", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Save a paper into one of your collections, by the collection's id or name; a name you have no collection of makes a new private one. Needs a personal API token.")]
    public async Task<Bookmark> Save(CollectionService collections,
        [Description("an arXiv id")] string id,
        [Description("a collection: its id (from list_collections) or its name")] string collection,
        CancellationToken ct = default)
    {
        var user = UserId();
        var key = PaperTools.Key(id);
        var (collectionId, name) = await CollectionAsync(collections, user, collection, ct);
        if (!await collections.AddAsync(collectionId, key.Id, ct)) throw new McpException($"no paper {key}");
        return new Bookmark(key.Id, collectionId, name);
    }

    public sealed record Bookmark(string PaperId, long CollectionId, string Collection);

    /// <summary>The account's collection with that id, else the one with that name, else a new private one of that name.</summary>
    static async Task<(long Id, string Name)> CollectionAsync(CollectionService collections, long user, string collection, CancellationToken ct)
    {
        var mine = await collections.MineAsync(user, ct);
        if (long.TryParse(collection, out var id))
            return mine.FirstOrDefault(c => c.Id == id) is { } byId ? (byId.Id, byId.Name) : throw new McpException($"no collection {id} of yours");
        if (!CollectionService.TryName(collection, out var name, out var error)) throw new McpException("collection: " + error);
        if (mine.FirstOrDefault(c => c.Name == name) is { } byName) return (byName.Id, byName.Name);
        var (created, refusal) = await collections.CreateAsync(user, name, isPublic: false, ct);
        return created is null ? throw new McpException(refusal!) : (created.Id, created.Name);
    }

    long UserId()
    {
        var context = http.HttpContext;
        var bearer = context?.User.Identity?.AuthenticationType == Auth.Bearer;
        return bearer && Auth.UserId(context!.User) is { } id ? id : throw new McpException(NeedsToken);
    }
}
