using DailyPapers.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DailyPapers.Tests.Trust;

/// <summary>
/// SQLite and PostgreSQL (issue 14): which connection string selects which engine, the two engines' migrations kept
/// in step, and `migrate` and a stale schema behaving alike on both. The last two run on whichever engine the suite
/// runs on (DAILYPAPERS_TEST_POSTGRES, see AppFactory).
/// </summary>
public class EngineTests
{
    [Trait("Engine", "none")]
    [Fact]
    public void BothEnginesHaveTheSameMigrations()
    {
        Assert.NotEmpty(Schema.For(Provider.Sqlite));
        Assert.Equal(Schema.For(Provider.Sqlite), Schema.For(Provider.Postgres));
    }

    [Trait("Engine", "none")]
    [Theory]
    [InlineData("Data Source=data/dailypapers.db", Provider.Sqlite)]
    [InlineData("", Provider.Sqlite)]
    [InlineData("Host=db.internal;Username=hub;Database=papers", Provider.Postgres)]
    [InlineData("postgres://hub:secret@db.internal:5433/papers", Provider.Postgres)]
    [InlineData("postgresql://db.internal/papers", Provider.Postgres)]
    public void TheConnectionStringNamesTheEngine(string connectionString, string engine) =>
        Assert.Equal(engine, Provider.EngineOf(connectionString));

    [Trait("Engine", "none")]
    [Fact]
    public void APostgresUrlBecomesNpgsqlSettings()
    {
        var settings = new Npgsql.NpgsqlConnectionStringBuilder(Provider.NpgsqlConnectionString("postgres://hub:s%40cret@db.internal:5433/papers"));
        Assert.Equal(("db.internal", 5433, "papers", "hub", "s@cret"), (settings.Host, settings.Port, settings.Database, settings.Username, settings.Password));
        Assert.Equal(5432, new Npgsql.NpgsqlConnectionStringBuilder(Provider.NpgsqlConnectionString("postgres://db.internal/papers")).Port);
    }

    [Fact]
    public async Task AStaleSchemaIsRefusedUntilMigrated()
    {
        await using var app = new AppFactory().WithoutJobs();
        var last = Schema.All[^1];
        await app.WithDbAsync(db => db.Database.ExecuteSqlAsync($"DELETE FROM schema_migrations WHERE version = {last}"));
        await using var scope = app.Services.CreateAsyncScope();
        var startup = scope.ServiceProvider.GetRequiredService<DatabaseStartup>();
        var refused = await Assert.ThrowsAsync<SchemaOutOfDateException>(() => startup.EnsureSchemaAsync(migrate: false));
        Assert.Contains($"needs migrations {last}", refused.Message);
        Assert.Contains("dailypapers migrate", refused.Message);
    }

    [Fact]
    public async Task MigrateCreatesTheWholeSchemaOnAnEmptyDatabase()
    {
        await using var app = new AppFactory().WithoutJobs();
        var target = await Empty(app);
        var (exit, output, error) = await Cli.RunAsync(["migrate", .. target]);
        Assert.True(exit == 0, error);
        Assert.Contains($"applied: {string.Join(", ", Schema.All)}", output);
        Assert.Equal(0, (await Cli.RunAsync(["migrate", "--dry-run", .. target])).Exit);
        Assert.Empty(await app.WithDbAsync(db => new Schema(db).PendingAsync()));
    }

    /// <summary>Empties the test's database and returns the options that point the CLI at it.</summary>
    static async Task<string[]> Empty(AppFactory app)
    {
        if (AppFactory.Postgres is null)
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(Path.Combine(app.DataDir, "dailypapers.db" + suffix));
        }
        else await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("DROP SCHEMA public CASCADE; CREATE SCHEMA public;"));
        return [.. app.DataOptions, "--no-sample"];
    }
}
