using DailyPapers.Data;
using DailyPapers.Feed;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DailyPapers.Digest;

/// <summary>`digest send | preview | status`: the scheduled job's work by hand, a rendered sample, and what admins check.</summary>
public static class DigestCommands
{
    sealed record Args(string? Cadence, DateOnly? Date, string? To, bool DryRun, string? Out);

    public static async Task<int> RunAsync(WebApplication app, CommandLine cli)
    {
        if (!TryArgs(cli, out var args, out var error))
        {
            Console.Error.WriteLine($"error: {error}");
            return 2;
        }
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await services.GetRequiredService<DatabaseStartup>().EnsureSchemaAsync(migrate: false);
        return cli.Arguments[0] switch
        {
            "send" => await SendAsync(services, args),
            "preview" => await PreviewAsync(services, args),
            _ => await StatusAsync(services.GetRequiredService<AppDb>()),
        };
    }

    static bool TryArgs(CommandLine cli, out Args args, out string error)
    {
        args = new Args(null, null, null, cli.Flag("--dry-run"), cli.Option("--out"));
        error = "";
        var email = "";
        if (cli.Option("--cadence") is { } c && !Cadence.All.Contains(c)) error = $"--cadence must be one of: {string.Join(", ", Cadence.All)}";
        else if (cli.Option("--date") is { } d && !Period.TryParseDate(d, out _)) error = Period.DateError("--date", d);
        else if (cli.Option("--to") is { } to && !SubscriptionRules.TryEmail(to, out email, out var why)) error = "--to: " + why;
        if (error.Length > 0) return false;
        DateOnly? date = cli.Option("--date") is { } s && Period.TryParseDate(s, out var day) ? day : null;
        args = args with { Cadence = cli.Option("--cadence"), Date = date, To = email.Length > 0 ? email : null };
        return true;
    }

    static async Task<int> SendAsync(IServiceProvider services, Args args)
    {
        var options = services.GetRequiredService<IOptions<AppOptions>>().Value;
        var composer = services.GetRequiredService<DigestComposer>();
        var clock = services.GetRequiredService<TimeProvider>();
        DigestSchedule.IsDue(clock.GetUtcNow(), DigestSettings.Zone(options.Digest), DigestSettings.SendAt(options.Digest), out var today);
        if (args.To is not null && !await services.GetRequiredService<AppDb>().Subscriptions.AnyAsync(s => s.Email == args.To && s.Status == SubscriptionStatus.Confirmed))
        {
            Console.Error.WriteLine($"error: {args.To} is not a confirmed subscriber");
            return 1;
        }
        foreach (var cadence in args.Cadence is { } one ? [one] : Cadence.All)
        {
            var period = args.Date is { } date ? DigestSchedule.PeriodOf(cadence, date) : DigestSchedule.PeriodFor(cadence, today, options.Digest.WeeklyOn);
            if (period is null) { Console.WriteLine($"{cadence}: nothing due on {today:dddd yyyy-MM-dd}"); continue; }
            if (args.DryRun) await DryRunAsync(services, cadence, period, args.To, options);
            else Console.WriteLine($"{cadence} {period.Query}: {await composer.ComposeAndStoreAsync(cadence, period, args.To)} digests composed");
        }
        if (args.DryRun) return 0;
        var outbox = services.GetRequiredService<Outbox>();
        await using (var transport = outbox.OpenTransport()) Console.WriteLine($"sending to {transport.Destination} …");
        var report = await outbox.SendDueAsync(args.To);
        Console.WriteLine($"outbox: {report}");
        return report.Failed == 0 ? 0 : 1;
    }

    static async Task DryRunAsync(IServiceProvider services, string cadence, Period period, string? to, AppOptions options)
    {
        var composer = services.GetRequiredService<DigestComposer>();
        var outbox = services.GetRequiredService<Outbox>();
        var folder = Path.Combine(options.Mail.PickupFolder(options.DataDir), "dry-run");
        var picker = await composer.PickerAsync(period);
        var (count, matched) = (0, 0);
        await foreach (var page in composer.ComposeAsync(cadence, period, picker, to))
            foreach (var d in page)
            {
                var mime = DigestRenderer.Digest(await outbox.DigestMailAsync(Unsaved(d, period), viewUrl: false), options.Mail.From);
                Directory.CreateDirectory(folder);
                await mime.WriteToAsync(Path.Combine(folder, d.Key.Replace(':', '-').Replace('=', '-') + ".eml"));
                (count, matched) = (count + 1, matched + (d.Matched > 0 ? 1 : 0));
            }
        Console.WriteLine($"dry run, nothing stored or sent: {cadence} {period.Query}: {count} digests ({matched} with topic matches, {picker.Papers.Count} papers in the period)"
                          + (count > 0 ? $", written to {folder}" : ""));
    }

    static OutboxMessage Unsaved(ComposedDigest d, Period period) => new()
    {
        Key = d.Key, Kind = "digest", SubscriptionId = d.SubscriptionId, Recipient = d.Recipient, Period = period.Query,
        PaperIdsJson = System.Text.Json.JsonSerializer.Serialize(d.PaperIds), Matched = d.Matched, Picks = d.Picks, Status = OutboxStatus.Pending,
        CreatedAt = DateTime.UtcNow,
    };

    static async Task<int> PreviewAsync(IServiceProvider services, Args args)
    {
        var db = services.GetRequiredService<AppDb>();
        var options = services.GetRequiredService<IOptions<AppOptions>>().Value;
        var cadence = args.Cadence ?? Cadence.Daily;
        var date = args.Date ?? await FeedQuery.LatestDateAsync(db);
        if (date is null) { Console.Error.WriteLine("error: there are no papers yet; import some first"); return 1; }
        var period = DigestSchedule.PeriodOf(cadence, date.Value);
        var subscriber = args.To is null ? null : await db.Subscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.Email == args.To);
        if (args.To is not null && subscriber is null) { Console.Error.WriteLine($"error: {args.To} is not subscribed"); return 1; }
        var picker = await services.GetRequiredService<DigestComposer>().PickerAsync(period);
        if (picker.Papers.Count == 0) { Console.Error.WriteLine($"error: no papers in {period.Query}"); return 1; }
        var (ids, matched) = subscriber is null ? picker.Pick(Topics.None, null, Preferences.DefaultCount)
            : picker.Pick(subscriber.Preferences.Topics, subscriber.TopicVector is null ? null : Search.Embeddings.FromBytes(subscriber.TopicVector), subscriber.Count);
        var digest = new ComposedDigest(subscriber?.Id ?? 0, subscriber?.Email ?? "preview@localhost", DigestComposer.KeyOf(subscriber?.Id ?? 0, period), ids, matched);
        var mail = await services.GetRequiredService<Outbox>().DigestMailAsync(Unsaved(digest, period), viewUrl: false);
        var path = args.Out ?? "digest-preview.eml";
        if (path.EndsWith(".html", StringComparison.OrdinalIgnoreCase)) await File.WriteAllTextAsync(path, DigestRenderer.Html(mail));
        else await DigestRenderer.Digest(mail, options.Mail.From).WriteToAsync(path);
        Console.WriteLine($"{path}: {mail.Subject} ({mail.Papers.Count} papers, {matched} matching the topics)");
        return 0;
    }

    static async Task<int> StatusAsync(AppDb db)
    {
        foreach (var g in await db.Subscriptions.GroupBy(s => s.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync())
            Console.WriteLine($"subscriptions {g.Key}: {g.Count}");
        foreach (var g in await db.Outbox.GroupBy(m => new { m.Kind, m.Status }).Select(g => new { g.Key.Kind, g.Key.Status, Count = g.Count() }).ToListAsync())
            Console.WriteLine($"outbox {g.Kind} {g.Status}: {g.Count}");
        foreach (var r in await db.DigestRuns.OrderByDescending(r => r.ComposedAt).Take(5).ToListAsync())
            Console.WriteLine($"composed {r.Cadence} {r.Period} at {r.ComposedAt:u}: {r.Messages}");
        var refused = await db.Subscriptions.Where(s => s.Failure != null).OrderByDescending(s => s.FailedAt).Take(20).ToListAsync();
        foreach (var s in refused) Console.WriteLine($"refused {s.Email} at {s.FailedAt:u}: {s.Failure}");
        var failed = await db.Outbox.Where(m => m.Status == OutboxStatus.Failed).OrderByDescending(m => m.Id).Take(20).ToListAsync();
        foreach (var m in failed) Console.WriteLine($"failed {m.Kind} to {m.Recipient} after {m.Attempts} attempts: {m.LastError}");
        return 0;
    }
}
