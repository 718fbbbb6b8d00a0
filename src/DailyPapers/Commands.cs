using System.Diagnostics;
using DailyPapers.Data;
using DailyPapers.Ingest;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers;

/// <summary>The CLI verbs. Each resolves its services from the same host the web server uses.</summary>
public static class Commands
{
    public static async Task<int> RunAsync(WebApplication app, CommandLine cli)
    {
        try
        {
            // Before anything writes: the state folder is the owner's only (every command, the server included).
            DataFolder.Secure(app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AppOptions>>().Value.DataDir);
            return cli.Command switch
            {
                "migrate" => await MigrateAsync(app, cli.Flag("--dry-run")),
                "import" => await ImportAsync(app, cli),
                "harvest" => await HarvestAsync(app, cli),
                "export" => await ExportAsync(app, cli.Option("--out")),
                "embed" => await EmbedAsync(app, cli.Flag("--dry-run")),
                "reindex" => await ReindexAsync(app, cli.Flag("--verify")),
                "digest" => await Digest.DigestCommands.RunAsync(app, cli),
                "trending" => await TrendingAsync(app, cli.Flag("--dry-run")),
                "notify" => await NotifyAsync(app, cli.Flag("--dry-run")),
                "media" => await Media.MediaCommand.RunAsync(app, cli.Flag("--dry-run")),
                "user" => await Accounts.UserCommands.RunAsync(app, cli),
                _ => await ServeAsync(app),
            };
        }
        catch (Exception ex) when (ex is SchemaOutOfDateException or DataFolderException or HarvestException or IOException or UnauthorizedAccessException
                                       or Microsoft.Extensions.Options.OptionsValidationException or System.Data.Common.DbException)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 1;
        }
    }

    static async Task<int> ServeAsync(WebApplication app)
    {
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DatabaseStartup>().EnsureSchemaAsync(migrate: false);
        // Checked before listening: nothing may be served, and no job run, on an address that is refused.
        var (error, warning) = Web.SiteAddress.Check(Web.SiteAddress.Configured(app.Configuration),
            app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AppOptions>>().Value, app.Configuration);
        if (error is not null)
        {
            Console.Error.WriteLine($"error: {error}");
            return 1;
        }
        if (warning is not null) app.Logger.LogWarning("{Warning}", warning);
        await app.RunAsync();
        return 0;
    }

    static async Task<int> MigrateAsync(WebApplication app, bool dryRun)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var schema = scope.ServiceProvider.GetRequiredService<Schema>();
        var pending = dryRun ? await schema.PendingAsync() : await schema.ApplyAsync();
        Console.WriteLine(pending.Count == 0 ? "schema is up to date"
            : $"{(dryRun ? "pending" : "applied")}: {string.Join(", ", pending)}");
        return 0;
    }

    static async Task<int> ImportAsync(WebApplication app, CommandLine cli)
    {
        if (!int.TryParse(cli.Option("--batch-size") ?? Importer.DefaultBatchSize.ToString(), out var batch) || batch < 1)
        {
            Console.Error.WriteLine("error: --batch-size must be a positive whole number");
            return 2;
        }
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseStartup>().EnsureSchemaAsync(migrate: false);
        var importer = scope.ServiceProvider.GetRequiredService<Importer>();
        var failed = 0;
        foreach (var path in cli.Arguments)
            failed += await ImportFileAsync(importer, path, cli.Flag("--dry-run"), batch) ? 0 : 1;
        if (!cli.Flag("--dry-run") && !cli.Flag("--no-embed")) await EmbedMissingAsync(scope.ServiceProvider.GetRequiredService<Search.Embeddings>());
        return failed == 0 ? 0 : 1;
    }

    static async Task<bool> ImportFileAsync(Importer importer, string path, bool dryRun, int batch)
    {
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"error: {path}: no such file");
            return false;
        }
        var clock = Stopwatch.StartNew();
        using var input = InputFile.Open(path);
        var progress = new Progress(Path.GetFileName(path));
        var read = 0;
        try
        {
            var records = input.Records().Select(r => { read++; progress.Report(input.Progress, read); return r; });
            var counts = await importer.ImportAsync(records, r => Console.Error.WriteLine($"rejected {r.Location}: {r.Error}"), dryRun, batch,
                conflict: why => Console.Error.WriteLine($"conflict {why}"));
            progress.Done();
            var rate = counts.Records / Math.Max(clock.Elapsed.TotalSeconds, 1e-3);
            Console.WriteLine($"{(dryRun ? "dry run, nothing stored: " : "")}{path}: {counts} ({clock.Elapsed.TotalSeconds:F1} s, {rate:F0} records/s)");
            return true;
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException or System.Xml.XmlException or InvalidDataException)
        {
            progress.Done();
            Console.Error.WriteLine($"error: {path}: {ex.Message}");
            return false;
        }
    }

    static async Task<int> HarvestAsync(WebApplication app, CommandLine cli)
    {
        var categories = (cli.Option("--categories") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (categories.Length == 0) return Usage("harvest needs --categories, e.g. --categories cs.LG,cs.CL");
        if (!TryDate(cli.Option("--from"), out var from) || !TryDate(cli.Option("--until"), out var until))
            return Usage($"--from and --until take a date as YYYY-MM-DD from {Feed.Period.MinDate:yyyy-MM-dd} to {Feed.Period.MaxDate:yyyy-MM-dd}");
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseStartup>().EnsureSchemaAsync(migrate: false);
        var harvester = scope.ServiceProvider.GetRequiredService<Harvester>();
        var report = await harvester.HarvestAsync(new HarvestRequest(categories, from, until, cli.Flag("--dry-run")), Console.Error.WriteLine);
        Console.WriteLine($"{(cli.Flag("--dry-run") ? "dry run, nothing stored: " : "")}harvest: {report.Requests} requests, {report.Counts}; " +
                          $"{report.Skipped} outside the categories, {report.Deleted} deleted upstream");
        return report.Counts.AnythingNew ? 0 : 3;
    }

    static async Task<int> ExportAsync(WebApplication app, string? path)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseStartup>().EnsureSchemaAsync(migrate: false);
        var exporter = scope.ServiceProvider.GetRequiredService<Exporter>();
        await using var output = path is null ? Console.Out : new StreamWriter(path);
        var counts = await exporter.ExportAsync(output);
        if (path is not null) Console.Error.WriteLine($"exported {counts} to {path}");
        return 0;
    }

    static async Task<int> EmbedAsync(WebApplication app, bool dryRun)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseStartup>().EnsureSchemaAsync(migrate: false);
        var embeddings = scope.ServiceProvider.GetRequiredService<Search.Embeddings>();
        if (dryRun)
        {
            Console.WriteLine($"dry run: {await embeddings.MissingCountAsync()} papers lack an embedding");
            return 0;
        }
        return await EmbedMissingAsync(embeddings) ? 0 : 1;
    }

    // After an import: embeddings are part of a paper, so the import computes them too (--no-embed leaves them to
    // the server's background job).
    static async Task<bool> EmbedMissingAsync(Search.Embeddings embeddings)
    {
        if (!embeddings.Available)
        {
            Console.Error.WriteLine("warning: the sentence model is unavailable; papers are not embedded, keyword search still works");
            return false;
        }
        var missing = await embeddings.MissingCountAsync();
        if (missing == 0) return true;
        var clock = Stopwatch.StartNew();
        var progress = new Progress("embedding");
        var done = await embeddings.EmbedMissingAsync(progress: n => progress.Report(n / (double)missing, n));
        progress.Done();
        Console.WriteLine($"embedded {done} papers ({clock.Elapsed.TotalSeconds:F1} s, {done / Math.Max(clock.Elapsed.TotalSeconds, 1e-3):F1} papers/s)");
        return true;
    }

    // Builds the keyword index into a new folder and swaps it in (a running server follows); --verify only compares.
    static async Task<int> ReindexAsync(WebApplication app, bool verify)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseStartup>().EnsureSchemaAsync(migrate: false);
        var feed = scope.ServiceProvider.GetRequiredService<Search.KeywordFeed>();
        if (verify) return await VerifyIndexAsync(feed);
        var clock = Stopwatch.StartNew();
        var count = await feed.RebuildAsync();
        Console.WriteLine($"keyword index rebuilt: {count} papers ({clock.Elapsed.TotalSeconds:F1} s, {count / Math.Max(clock.Elapsed.TotalSeconds, 1e-3):F0} papers/s)");
        return 0;
    }

    static async Task<int> VerifyIndexAsync(Search.KeywordFeed feed)
    {
        var problems = await feed.VerifyAsync();
        foreach (var p in problems.Take(20)) Console.WriteLine(p);
        Console.WriteLine(problems.Count == 0 ? "keyword index matches the papers table" : $"keyword index differs from the papers table in {problems.Count} papers");
        return problems.Count == 0 ? 0 : 1;
    }

    // The hourly job by hand: every paper's trending score for the current time.
    static async Task<int> TrendingAsync(WebApplication app, bool dryRun)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseStartup>().EnsureSchemaAsync(migrate: false);
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        if (dryRun)
        {
            Console.WriteLine($"dry run: {await db.PapersIncludingHidden.CountAsync()} trending scores would be recomputed");
            return 0;
        }
        var clock = Stopwatch.StartNew();
        var n = await Votes.TrendingScores.RefreshAllAsync(db, now);
        Console.WriteLine($"trending: {n} scores recomputed ({clock.Elapsed.TotalSeconds:F1} s)");
        foreach (var p in await Votes.TrendingQuery.TopAsync(db, 5))
            Console.WriteLine($"  {p.Paper.Trending:0.######}  {p.Paper.Id}  {Ingest.Text.Clip(p.Paper.DisplayTitle)}");
        return 0;
    }

    // The hourly job by hand: "new papers from what you follow" for every account that follows something.
    static async Task<int> NotifyAsync(WebApplication app, bool dryRun)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseStartup>().EnsureSchemaAsync(migrate: false);
        var told = await scope.ServiceProvider.GetRequiredService<Notifications.FollowsNotifier>().RunAsync(dryRun);
        Console.WriteLine($"{(dryRun ? "dry run, nothing stored: " : "")}{told.Count} accounts {(dryRun ? "would be" : "were")} told of {told.Sum(t => t.Papers)} new papers");
        return 0;
    }

    static bool TryDate(string? s, out DateOnly? date)
    {
        date = null;
        if (s is null) return true;
        if (!Feed.Period.TryParseDate(s, out var d)) return false;
        date = d;
        return true;
    }

    static int Usage(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return 2;
    }
}
