using DailyPapers.Ingest;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DailyPapers.Data;

public sealed class SchemaOutOfDateException(string message) : Exception(message);

/// <summary>
/// Readies the database before anything uses it: a new database gets the schema (zero configuration), an existing one
/// with pending migrations is refused unless RunMigrations is set (migrations are a decision, not a side effect).
/// </summary>
public sealed class DatabaseStartup(Schema schema, AppDb db, Importer importer, IOptions<AppOptions> options, ILogger<DatabaseStartup> log)
{
    public async Task EnsureSchemaAsync(bool migrate, CancellationToken ct = default)
    {
        DataFolder.Secure(options.Value.DataDir);
        if (await schema.IsEmptyAsync(ct) || migrate || options.Value.RunMigrations)
        {
            foreach (var name in await schema.ApplyAsync(ct)) log.LogInformation("Applied migration {Name}", name);
            return;
        }
        var pending = await schema.PendingAsync(ct);
        if (pending.Count > 0)
            throw new SchemaOutOfDateException(
                $"The database needs migrations {string.Join(", ", pending)}. Back it up, then run `dailypapers migrate` " +
                "(or start with --migrate, or set DAILYPAPERS_RUNMIGRATIONS=true).");
    }

    /// <summary>Loads the bundled sample (a month of real Hugging Face daily papers) into an empty database.</summary>
    public async Task LoadSampleIfEmptyAsync(CancellationToken ct = default)
    {
        if (!options.Value.LoadSample || await db.PapersIncludingHidden.AnyAsync(ct)) return;
        await using var stream = typeof(DatabaseStartup).Assembly.GetManifestResourceStream("sample.jsonl.gz")!;
        using var input = new InputFile(stream, "sample.jsonl.gz");
        var counts = await importer.ImportAsync(input.Records(), ct: ct);
        log.LogInformation("Loaded the bundled sample: {Counts}. Start with --no-sample to skip this.", counts);
    }
}

/// <summary>Runs the startup steps when the web host starts, so the server never answers before the schema is there.</summary>
public sealed class StartupService(IServiceScopeFactory scopes) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var startup = scope.ServiceProvider.GetRequiredService<DatabaseStartup>();
        await startup.EnsureSchemaAsync(migrate: false, ct);
        await startup.LoadSampleIfEmptyAsync(ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
