using System.Text;
using System.Text.Json;
using DailyPapers.Accounts;
using DailyPapers.Data;
using DailyPapers.Feeds;
using DailyPapers.Papers;
using DailyPapers.Web;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Collections;

/// <summary>
/// Collections under `/api/collections`: list and create yours, read one (public, or yours), rename or publish it,
/// add and remove papers, export it as JSON or BibTeX; a public one has a page and an RSS feed. Someone else's
/// private collection answers 404, as if it did not exist.
/// </summary>
public static class CollectionsApi
{
    public sealed record CollectionBody(string? Name, bool? IsPublic, string? ArxivId);
    public sealed record ApiCollection(long Id, string Name, bool IsPublic, string Owner, int Papers, DateTime CreatedAt);
    public sealed record ApiCollectionPapers(ApiCollection Collection, IEnumerable<ApiPaper> Papers);

    public static void MapCollections(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/collections").WithTags("Collections").DisableAntiforgery().RequireCsrfForCookies();
        api.MapGet("", Mine).RequireAuthorization().WithSummary("Your collections.").Produces<ApiCollection[]>();
        api.MapPost("", Create).RequireAuthorization().WithSummary("Create one: {\"name\", \"isPublic\"}.")
            .Accepts<CollectionBody>(ApiDocs.JsonType).Produces<ApiCollection>(201).Fails(400, 409);
        api.MapGet("/{id:long}", Get).WithSummary("A collection with its papers (public ones to anyone).").Produces<ApiCollectionPapers>().Fails(400, 404);
        api.MapMethods("/{id:long}", ["PATCH"], Update).RequireAuthorization().WithSummary("Rename or publish: {\"name\", \"isPublic\"}.")
            .Accepts<CollectionBody>(ApiDocs.JsonType).Produces(204).Fails(400, 404);
        api.MapDelete("/{id:long}", Delete).RequireAuthorization().WithSummary("Delete one of your collections.").Produces(204).Fails(400, 404);
        api.MapPost("/{id:long}/papers", Add).RequireAuthorization().WithSummary("Add a paper: {\"arxivId\"}.")
            .Accepts<CollectionBody>(ApiDocs.JsonType).Produces(204).Fails(400, 404);
        api.MapPaper("/{collection:long}/papers", "", (e, route) => e.MapDelete(route, Remove)).RequireAuthorization().WithSummary("Remove a paper.").Produces(204).Fails(400, 404);
        api.MapGet("/{id:long}/bibtex", BibTeX).WithSummary("The papers as BibTeX.").Produces<string>(200, "application/x-bibtex").Fails(400, 404);
        app.MapGet("/collections/{id:long}", Page).ExcludeFromDescription();
        app.MapGet("/collections/{id:long}.rss", Rss).WithTags("Feeds").WithSummary("RSS 2.0 of a public collection.");
    }

    static async Task<IResult> Mine(HttpContext context, CollectionService collections, CancellationToken ct)
    {
        var user = (await Auth.CurrentAsync(context))!;
        return Results.Json((await collections.MineAsync(user.Id, ct)).Select(c => new ApiCollection(c.Id, c.Name, c.IsPublic, user.Name, c.Papers, c.CreatedAt)));
    }

    static async Task<IResult> Create(HttpContext context, CollectionService collections, CancellationToken ct)
    {
        if (await ReadAsync(context, ct) is not { } body) return BadBody();
        if (!CollectionService.TryName(body.Name, out var name, out var error)) return Http.Error(400, error);
        var user = (await Auth.CurrentAsync(context))!;
        var (c, refusal) = await collections.CreateAsync(user.Id, name, body.IsPublic ?? false, ct);
        return c is null ? Http.Error(409, refusal!) : Results.Json(new ApiCollection(c.Id, c.Name, c.IsPublic, user.Name, 0, c.CreatedAt), statusCode: 201);
    }

    static async Task<IResult> Get(long id, HttpContext context, AppDb db, CancellationToken ct)
    {
        if (await VisibleAsync(id, context, db, ct) is not { } c) return Http.Error(404, $"no collection {id}");
        var papers = await PapersAsync(db, id, ct);
        var owner = await db.Users.Where(u => u.Id == c.UserId).Select(u => u.Name).SingleAsync(ct);
        return Results.Json(new ApiCollectionPapers(new ApiCollection(c.Id, c.Name, c.IsPublic, owner, papers.Count, c.CreatedAt), papers.Select(ApiPaper.From)));
    }

    static async Task<IResult> Update(long id, HttpContext context, AppDb db, CancellationToken ct)
    {
        if (await OwnAsync(id, context, db, ct) is not { } c) return Http.Error(404, $"no collection {id} of yours");
        if (await ReadAsync(context, ct) is not { } body) return BadBody();
        if (body.Name is not null)
        {
            if (!CollectionService.TryName(body.Name, out var name, out var error)) return Http.Error(400, error);
            c.Name = name;
        }
        if (body.IsPublic is { } isPublic) c.IsPublic = isPublic;
        await db.SaveChangesAsync(ct);
        return Results.NoContent();
    }

    static async Task<IResult> Delete(long id, HttpContext context, AppDb db, CancellationToken ct)
    {
        if (await OwnAsync(id, context, db, ct) is not { } c) return Http.Error(404, $"no collection {id} of yours");
        db.Collections.Remove(c);
        await db.SaveChangesAsync(ct);
        return Results.NoContent();
    }

    static async Task<IResult> Add(long id, HttpContext context, AppDb db, CollectionService collections, CancellationToken ct)
    {
        if (await OwnAsync(id, context, db, ct) is null) return Http.Error(404, $"no collection {id} of yours");
        if (await ReadAsync(context, ct) is not { } body) return BadBody();
        if (!ArxivId.TryParse(body.ArxivId?.Trim(), out var key, out _)) return Http.Error(400, "arxivId: " + ArxivId.NotAnId(body.ArxivId));
        return await collections.AddAsync(id, key, ct) ? Results.NoContent() : Http.Error(404, $"no paper {key}");
    }

    static async Task<IResult> Remove(long collection, PaperKey paper, HttpContext context, AppDb db, CollectionService collections, CancellationToken ct)
    {
        if (await OwnAsync(collection, context, db, ct) is null) return Http.Error(404, $"no collection {collection} of yours");
        await collections.RemoveAsync(collection, paper.Id, ct);
        return Results.NoContent();
    }

    static async Task<IResult> BibTeX(long id, HttpContext context, AppDb db, CancellationToken ct)
    {
        if (await VisibleAsync(id, context, db, ct) is null) return Http.Error(404, $"no collection {id}");
        var text = string.Join("\n", (await PapersAsync(db, id, ct)).Select(BibTex.Entry));
        return Results.Text(text, "application/x-bibtex; charset=utf-8", Encoding.UTF8);
    }

    static async Task<IResult> Page(long id, HttpContext context, AppDb db, CancellationToken ct)
    {
        if (await VisibleAsync(id, context, db, ct) is not { } c) return Pages.Error(404, "Not found", "There is no such collection, or it is private.");
        var owner = await db.Users.Where(u => u.Id == c.UserId).Select(u => u.Name).SingleAsync(ct);
        var papers = await PapersAsync(db, id, ct);
        return new Web.HtmlPage<CollectionPage>(new { Collection = c, Owner = owner, Papers = papers });
    }

    static async Task<IResult> Rss(long id, HttpContext context, AppDb db, CancellationToken ct)
    {
        var c = await db.Collections.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id && x.IsPublic, ct);
        if (c is null) return Http.Error(404, $"no public collection {id}");
        var items = await db.CollectionItems.AsNoTracking().Where(i => i.CollectionId == id).OrderByDescending(i => i.AddedAt)
            .Join(db.Papers, i => i.PaperId, p => p.Id, (i, p) => new { i.AddedAt, Paper = p }).ToListAsync(ct);
        var baseUrl = Http.BaseUrl(context);
        return FeedWriter.Result(false, c.Name, $"{baseUrl}/collections/{id}", $"{baseUrl}/collections/{id}.rss",
            items.Select(x => new SyndicationItem(x.Paper, x.AddedAt)).ToList(), baseUrl);
    }

    static Task<List<Paper>> PapersAsync(AppDb db, long id, CancellationToken ct) =>
        db.CollectionItems.AsNoTracking().Where(i => i.CollectionId == id).OrderBy(i => i.AddedAt)
            .Join(db.Papers, i => i.PaperId, p => p.Id, (i, p) => p).ToListAsync(ct);

    static async Task<Collection?> VisibleAsync(long id, HttpContext context, AppDb db, CancellationToken ct)
    {
        var me = Auth.UserId(context.User);
        return await db.Collections.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id && (c.IsPublic || c.UserId == me), ct);
    }

    static async Task<Collection?> OwnAsync(long id, HttpContext context, AppDb db, CancellationToken ct)
    {
        var me = Auth.UserId(context.User);
        return await db.Collections.SingleOrDefaultAsync(c => c.Id == id && c.UserId == me, ct);
    }


    static Task<CollectionBody?> ReadAsync(HttpContext context, CancellationToken ct) => Http.ReadJsonAsync<CollectionBody>(context, 16 * 1024, ct);

    static IResult BadBody() => Http.Error(400, "the body must be JSON such as {\"name\": \"…\", \"isPublic\": true} or {\"arxivId\": \"…\"}");
}
