using DailyPapers.Data;
using DailyPapers.Feed;
using DailyPapers.Feeds;
using DailyPapers.Papers;
using DailyPapers.Web;

namespace DailyPapers.Discovery;

/// <summary>
/// Author, organisation and category pages, each with RSS, Atom and JSON from one query, the list of categories, and
/// the calendar. Every page here is the same for every reader (Layout Shared): nothing of the reader goes in.
/// </summary>
public static class DiscoveryApi
{
    enum Output { Page, Json, Rss, Atom }

    public static void MapDiscovery(this IEndpointRouteBuilder app)
    {
        app.MapGet("/authors/{name}", (string name, HttpContext c, AppDb db) => Author(c, db, name, Output.Page)).ExcludeFromDescription().Shared();
        app.MapGet("/authors/{name}.rss", (string name, HttpContext c, AppDb db) => Author(c, db, name, Output.Rss)).WithTags("Feeds").WithSummary("RSS 2.0 of an author's papers, newest first.").Shared();
        app.MapGet("/authors/{name}.atom", (string name, HttpContext c, AppDb db) => Author(c, db, name, Output.Atom)).WithTags("Feeds").WithSummary("Atom 1.0 of an author's papers, newest first.").Shared();
        app.MapGet("/api/authors/{name}", (string name, HttpContext c, AppDb db) => Author(c, db, name, Output.Json)).WithTags("Discovery")
            .WithSummary("An author's papers, newest first, and their most frequent co-authors. The name matches exactly, ignoring case.")
            .Query(ListRequest.Parameters).Produces<ApiAuthor>().Fails(400, 404).Shared();
        app.MapGet("/organizations/{organization}", (string organization, HttpContext c, AppDb db) => Organization(c, db, organization, Output.Page)).ExcludeFromDescription().Shared();
        app.MapGet("/organizations/{organization}.rss", (string organization, HttpContext c, AppDb db) => Organization(c, db, organization, Output.Rss)).WithTags("Feeds").WithSummary("RSS 2.0 of an organisation's papers.").Shared();
        app.MapGet("/organizations/{organization}.atom", (string organization, HttpContext c, AppDb db) => Organization(c, db, organization, Output.Atom)).WithTags("Feeds").WithSummary("Atom 1.0 of an organisation's papers.").Shared();
        app.MapGet("/api/organizations/{organization}", (string organization, HttpContext c, AppDb db) => Organization(c, db, organization, Output.Json)).WithTags("Discovery")
            .WithSummary("Papers Hugging Face lists under an organisation (its handle, e.g. google), newest first.")
            .Query(ListRequest.Parameters).Produces<ApiOrganization>().Fails(400, 404).Shared();
        app.MapGet("/categories", CategoriesPage).ExcludeFromDescription().Shared();
        app.MapGet("/api/categories", CategoriesJson).WithTags("Discovery").WithSummary("Archives and categories with their numbers of papers, and how many papers carry categories.").Produces<ApiCategories>().Shared();
        app.MapGet("/categories/{category}", (string category, HttpContext c, AppDb db) => Category(c, db, category, Output.Page)).ExcludeFromDescription().Shared();
        app.MapGet("/categories/{category}.rss", (string category, HttpContext c, AppDb db) => Category(c, db, category, Output.Rss)).WithTags("Feeds").WithSummary("RSS 2.0 of a category's papers (cs.LG, or a whole archive: cs).").Shared();
        app.MapGet("/categories/{category}.atom", (string category, HttpContext c, AppDb db) => Category(c, db, category, Output.Atom)).WithTags("Feeds").WithSummary("Atom 1.0 of a category's papers.").Shared();
        app.MapGet("/api/categories/{category}", (string category, HttpContext c, AppDb db) => Category(c, db, category, Output.Json)).WithTags("Discovery")
            .WithSummary("Papers in an arXiv category (cs.LG) or archive (cs), newest first; a valid category without papers is an empty list.")
            .Query(ListRequest.Parameters).Produces<ApiCategory>().Fails(400).Shared();
        app.MapGet("/calendar", CalendarPage).ExcludeFromDescription().Shared();
    }

    public sealed record ApiAuthor(string Name, int Total, IEnumerable<ApiPaper> Papers, IReadOnlyList<CoAuthor> CoAuthors);
    public sealed record ApiOrganization(string Name, string Fullname, int Total, IEnumerable<ApiPaper> Papers);
    public sealed record ApiCategory(string Category, int Total, IEnumerable<ApiPaper> Papers, int WithCategories, int AllPapers);
    public sealed record ApiCategories(IReadOnlyList<ArchiveCounts> Archives, int WithCategories, int AllPapers);

    static async Task<IResult> Author(HttpContext context, AppDb db, string raw, Output output)
    {
        if (!AuthorQuery.TryName(raw, out var name, out var error) || !ListRequest.TryRead(context.Request.Query, out var request, out error))
            return Errors.For(context, 400, error);
        if (await AuthorQuery.AuthorAsync(db, name, request, context.RequestAborted) is not { } author)
            return Errors.For(context, 404, $"No papers by {name} here.");
        var path = Links.Author(author.Name);
        return output switch
        {
            Output.Page => new Web.HtmlPage<AuthorPage>(new { Author = author, Path = path }),
            Output.Json => Json(context, author.List, new ApiAuthor(author.Name, author.List.Total, Api(author.List), author.CoAuthors)),
            _ => Syndication(context, output, $"Papers by {author.Name}", path, author.List),
        };
    }

    static async Task<IResult> Organization(HttpContext context, AppDb db, string raw, Output output)
    {
        if (!Papers.Organization.IsName(raw)) return Errors.For(context, 400, OrganizationQuery.Invalid(raw));
        if (!ListRequest.TryRead(context.Request.Query, out var request, out var error)) return Errors.For(context, 400, error);
        if (await OrganizationQuery.OrganizationAsync(db, raw, request, context.RequestAborted) is not { } found)
            return Errors.For(context, 404, $"No papers listed under the organisation {raw} here.");
        var (organization, list) = (found.Organization, found.List);
        var path = Links.Organization(organization.Name);
        return output switch
        {
            Output.Page => new Web.HtmlPage<OrganizationPage>(new { Organization = organization, List = list, Path = path }),
            Output.Json => Json(context, list, new ApiOrganization(organization.Name, organization.Fullname, list.Total, Api(list))),
            _ => Syndication(context, output, $"Papers from {organization.Fullname}", path, list),
        };
    }

    static async Task<IResult> Category(HttpContext context, AppDb db, string raw, Output output)
    {
        if (!ArxivCategory.TryParse(raw, out var category)) return Errors.For(context, 400, ArxivCategory.Invalid(raw));
        if (!ListRequest.TryRead(context.Request.Query, out var request, out var error)) return Errors.For(context, 400, error);
        var result = await CategoryQuery.CategoryAsync(db, category, request, context.RequestAborted);
        var path = Links.Category(category);
        return output switch
        {
            Output.Page => new Web.HtmlPage<CategoryPage>(new { Result = result, Path = path }),
            Output.Json => Json(context, result.List, new ApiCategory(category, result.List.Total, Api(result.List), result.Coverage.WithCategories, result.Coverage.All)),
            _ => Syndication(context, output, $"Papers in {category}", path, result.List),
        };
    }

    static async Task<IResult> CategoriesPage(AppDb db, CancellationToken ct) =>
        new Web.HtmlPage<CategoriesPage>(new { Archives = await CategoryQuery.CountsAsync(db, ct), Coverage = await ArxivCategory.CoverageAsync(db, ct) });

    static async Task<IResult> CategoriesJson(AppDb db, CancellationToken ct)
    {
        var coverage = await ArxivCategory.CoverageAsync(db, ct);
        return Results.Json(new ApiCategories(await CategoryQuery.CountsAsync(db, ct), coverage.WithCategories, coverage.All));
    }

    /// <summary>A year of featured days; by default the year of the latest one (this year on an empty hub).</summary>
    static async Task<IResult> CalendarPage(HttpContext context, AppDb db, TimeProvider clock, CancellationToken ct)
    {
        var latest = await FeedQuery.LatestDateAsync(db, ct) ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (!FeedRequest.TryInt(context.Request.Query, "year", Period.MinDate.Year, Period.MaxDate.Year, latest.Year, out var year, out var error))
            return Pages.Error(400, error);
        return new Web.HtmlPage<CalendarPage>(new { Model = await Calendar.YearAsync(db, year, ct) });
    }

    static IEnumerable<ApiPaper> Api(PaperList list) => list.Papers.Select(ApiPaper.From);

    /// <summary>The API's answer with the daily list's paging headers: X-Total-Count and a Link to the next page.</summary>
    static IResult Json(HttpContext context, PaperList list, object body)
    {
        context.Response.Headers["X-Total-Count"] = list.Total.ToString();
        if (list.HasMore)
        {
            var next = Http.With(context.Request, ("p", (list.Request.Page + 1).ToString()));
            context.Response.Headers.Link = $"<{Http.BaseUrl(context)}{next}>; rel=\"next\"";
        }
        return Results.Json(body);
    }

    /// <summary>RSS or Atom of one page of a list, each paper dated by its first arXiv version.</summary>
    static IResult Syndication(HttpContext context, Output output, string title, string path, PaperList list)
    {
        var baseUrl = Http.BaseUrl(context);
        var items = list.Papers.Select(p => new SyndicationItem(p, p.PublishedAt ?? DateTime.UnixEpoch)).ToList();
        return FeedWriter.Result(output == Output.Atom, title, baseUrl + path, baseUrl + context.Request.Path + context.Request.QueryString, items, baseUrl);
    }
}
