using DailyPapers.Accounts;
using DailyPapers.Data;
using DailyPapers.Papers;
using DailyPapers.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Collections;

/// <summary>
/// Collections from pages, without script: save a paper into one (/papers/{id}/save, linked from every card and
/// paper page) and manage yours (/collections: create, rename, publish, delete). Per-visitor pages with tokens; every
/// form answers with a redirect back to its page and a one-time message.
/// </summary>
public static class CollectionPages
{
    public static void MapCollectionPages(this IEndpointRouteBuilder app)
    {
        app.MapPaper("/papers", "/save", (e, route) => e.MapGet(route, SavePage)).ExcludeFromDescription().RequireAuthorization();
        app.MapPaper("/papers", "/save", (e, route) => e.MapPost(route, SaveAsync)).ExcludeFromDescription().DisableAntiforgery().RequireAuthorization();
        app.MapGet("/collections", Mine).ExcludeFromDescription().RequireAuthorization();
        app.MapPost("/collections", CreateAsync).ExcludeFromDescription().DisableAntiforgery().RequireAuthorization();
        app.MapPost("/collections/{id:long}/change", ChangeAsync).ExcludeFromDescription().DisableAntiforgery().RequireAuthorization();
    }

    static async Task<IResult> SavePage(PaperKey key, HttpContext context, AppDb db, CollectionService collections, CancellationToken ct)
    {
        if (await db.Papers.AsNoTracking().SingleOrDefaultAsync(p => p.Id == key.Id, ct) is not { } paper) return Pages.Error(404, $"No paper {key} here.");
        var me = Auth.UserId(context.User)!.Value;
        return new RazorComponentResult<SavePage>(new
        {
            Paper = paper, Collections = await collections.MineAsync(me, ct), Holding = await collections.HoldingAsync(me, paper.Id, ct),
        });
    }

    // One form per collection ("Save to …" / "Remove from …") and one that creates a collection and saves into it.
    static async Task<IResult> SaveAsync(PaperKey key, HttpContext context, CollectionService collections, CancellationToken ct)
    {
        if (await FormAsync(context) is not { } f) return Expired();
        var me = Auth.UserId(context.User)!.Value;
        Collection? target;
        if (f["name"].ToString() is { Length: > 0 } raw)
        {
            if (!CollectionService.TryName(raw, out var name, out var error)) return Pages.Error(400, error);
            (target, var refusal) = await collections.CreateAsync(me, name, f["public"] == "on", ct);
            if (target is null) return Pages.Error(409, refusal!);
        }
        else if (!long.TryParse(f["collection"], out var id) || await collections.OwnAsync(id, me, ct) is not { } own) return Pages.Error(404, "No such collection of yours.");
        else target = own;
        var remove = f["action"] == "remove";
        if (remove) await collections.RemoveAsync(target.Id, key.Id, ct);
        else if (!await collections.AddAsync(target.Id, key.Id, ct)) return Pages.Error(404, $"No paper {key} here.");
        return Flash.Redirect(context, $"/papers/{key}/save", remove ? $"Removed from “{target.Name}”." : $"Saved to “{target.Name}”.");
    }

    static async Task<IResult> Mine(HttpContext context, CollectionService collections, CancellationToken ct) =>
        new RazorComponentResult<CollectionsPage>(new { Collections = await collections.MineAsync(Auth.UserId(context.User)!.Value, ct) });

    static async Task<IResult> CreateAsync(HttpContext context, CollectionService collections, CancellationToken ct)
    {
        if (await FormAsync(context) is not { } f) return Expired();
        if (!CollectionService.TryName(f["name"], out var name, out var error)) return Pages.Error(400, error);
        var (c, refusal) = await collections.CreateAsync(Auth.UserId(context.User)!.Value, name, f["public"] == "on", ct);
        return c is null ? Pages.Error(409, refusal!) : Flash.Redirect(context, "/collections", $"Created “{c.Name}”.");
    }

    // Rename (name), publish or make private (public=on|off), or delete (action=delete), one form each.
    static async Task<IResult> ChangeAsync(long id, HttpContext context, AppDb db, CollectionService collections, CancellationToken ct)
    {
        if (await FormAsync(context) is not { } f) return Expired();
        if (await collections.OwnAsync(id, Auth.UserId(context.User), ct) is not { } c) return Pages.Error(404, "No such collection of yours.");
        string done;
        if (f["action"] == "delete") { db.Collections.Remove(c); done = $"Deleted “{c.Name}”."; }
        else if (f["name"].ToString() is { Length: > 0 } raw)
        {
            if (!CollectionService.TryName(raw, out var name, out var error)) return Pages.Error(400, error);
            (c.Name, done) = (name, $"Renamed to “{name}”.");
        }
        else { c.IsPublic = f["public"] == "on"; done = c.IsPublic ? $"“{c.Name}” is public." : $"“{c.Name}” is private."; }
        await db.SaveChangesAsync(ct);
        return Flash.Redirect(context, "/collections", done);
    }

    static async Task<IFormCollection?> FormAsync(HttpContext context)
    {
        var form = await Http.ReadFormAsync(context, 4096, 8);
        return await Auth.AntiforgeryOkAsync(context) ? form : null;
    }

    static IResult Expired() => Pages.Error(400, "The form expired or did not come from this site. Reload the page and try again.");
}
