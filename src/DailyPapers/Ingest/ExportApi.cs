using System.Text;
using DailyPapers.Accounts;

namespace DailyPapers.Ingest;

/// <summary>
/// The `export` command over HTTP, for admins: the same JSON lines, streamed as they are read from one snapshot, as
/// a download. `/admin/export` for a signed-in browser, `/api/admin/export` for a script with an admin's token.
/// </summary>
public static class ExportApi
{
    public static void MapExport(this IEndpointRouteBuilder app)
    {
        var admins = app.MapGroup("").RequireAuthorization(p => p.RequireRole(Roles.Admin));
        admins.MapGet("/admin/export", Download).ExcludeFromDescription();
        admins.MapGet("/api/admin/export", Download).WithTags("Admin")
            .WithSummary("Everything the hub holds, as the `export` command writes it (JSON lines, password hashes included): a backup that `import` restores.")
            .Produces<string>(200, "application/x-ndjson");
    }

    static IResult Download(HttpContext context, Exporter exporter, TimeProvider clock)
    {
        // The file holds password and token hashes: no cache may keep a copy.
        context.Response.Headers.CacheControl = "no-store";
        return Results.Stream(async body =>
        {
            await using var writer = new StreamWriter(body, new UTF8Encoding(false), 1 << 16);
            await exporter.ExportAsync(writer, context.RequestAborted);
        }, "application/x-ndjson; charset=utf-8", $"dailypapers-{clock.GetUtcNow():yyyy-MM-dd}.jsonl");
    }
}
