using DailyPapers.Data;
using DailyPapers.Ingest;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DailyPapers.Tests;

/// <summary>
/// The real app over in-memory HTTP, on its own SQLite file in its own folder; or, with DAILYPAPERS_TEST_POSTGRES set
/// to a PostgreSQL connection string (tests/postgres.sh start prints one), on its own fresh PostgreSQL database,
/// dropped afterwards.
/// </summary>
public sealed class AppFactory : WebApplicationFactory<Program>
{
    public static string? Postgres { get; } = Environment.GetEnvironmentVariable("DAILYPAPERS_TEST_POSTGRES") is { Length: > 0 } cs ? cs : null;

    public string DataDir { get; } = Directory.CreateTempSubdirectory("dailypapers-test-").FullName;
    string? database;

    /// <summary>The options that point the CLI (Cli.RunAsync) at this app's data: its folder, and its database on PostgreSQL.</summary>
    public string[] DataOptions => database is null ? ["--data", DataDir]
        : ["--data", DataDir, $"--Database={new NpgsqlConnectionStringBuilder(Postgres) { Database = database }}"];
    // Background embedding off: tests that need vectors compute them explicitly, and the rest stay fast.
    readonly Dictionary<string, string?> settings = new() { ["LoadSample"] = "false", ["Search:BackgroundEmbedding"] = "false" };
    readonly List<Action<IServiceCollection>> services = [];

    /// <summary>
    /// The Database setting that names this app's database: its SQLite file, or its PostgreSQL database (created now,
    /// dropped with this app). Another app given it is a second instance on the same data.
    /// </summary>
    public string DatabaseSetting => Postgres is null ? $"Data Source={System.IO.Path.Combine(DataDir, "dailypapers.db")}" : CreateDatabase();

    /// <summary>A second instance: this app's database, a data folder of its own. Dispose it before this app.</summary>
    public AppFactory Sibling() => new AppFactory().With("Database", DatabaseSetting);

    public AppFactory With(string key, string? value)
    {
        settings[key] = value;
        return this;
    }

    /// <summary>
    /// The app without its background jobs (everything but the startup step): they write on their own clock (mail
    /// status, trending scores), which a test that compares stored data must not see.
    /// </summary>
    public AppFactory WithoutJobs() => WithServices(s =>
    {
        foreach (var job in s.Where(d => d.ServiceType == typeof(Microsoft.Extensions.Hosting.IHostedService)
                     && d.ImplementationType?.Assembly == typeof(Program).Assembly && d.ImplementationType != typeof(StartupService)).ToList())
            s.Remove(job);
    });

    public AppFactory WithServices(Action<IServiceCollection> configure)
    {
        services.Add(configure);
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("DataDir", DataDir);
        if (Postgres is not null && !settings.ContainsKey("Database")) builder.UseSetting("Database", CreateDatabase());
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        builder.ConfigureTestServices(s => services.ForEach(configure => configure(s)));
    }

    /// <summary>Imports fixture files (paths under Fixtures/) through the app's own importer.</summary>
    public async Task<ImportCounts> ImportAsync(params string[] fixtures)
    {
        _ = Services; // the host must be up: it creates the schema (Services, not Server, which Kestrel-served apps lack)
        var total = new ImportCounts();
        foreach (var fixture in fixtures)
        {
            await using var scope = Services.CreateAsyncScope();
            using var input = InputFile.Open(Fixture.Path(fixture));
            total.Add(await scope.ServiceProvider.GetRequiredService<Importer>().ImportAsync(input.Records()));
        }
        return total;
    }

    public async Task<T> WithDbAsync<T>(Func<AppDb, Task<T>> query)
    {
        _ = Services;
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDb>());
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        DropDatabase();
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { }
    }

    string CreateDatabase()
    {
        if (database is null)
        {
            database = $"dailypapers_test_{Guid.NewGuid():N}";
            Admin($"CREATE DATABASE {database}");
        }
        return new NpgsqlConnectionStringBuilder(Postgres) { Database = database }.ToString();
    }

    void DropDatabase()
    {
        if (database is null) return;
        NpgsqlConnection.ClearAllPools();
        Admin($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
    }

    static void Admin(string sql)
    {
        using var connection = new NpgsqlConnection(Postgres);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}

public static class Fixture
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
    public static string[] Lines(string name) => File.ReadAllLines(Path(name)).Where(l => l.Length > 0).ToArray();
}
