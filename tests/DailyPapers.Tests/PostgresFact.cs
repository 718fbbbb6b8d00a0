namespace DailyPapers.Tests;

/// <summary>
/// A test that needs PostgreSQL whatever engine the suite runs on (several processes on one database, moving a hub
/// between engines): without
/// DAILYPAPERS_TEST_POSTGRES it is reported as skipped, with the reason, never as passed.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (AppFactory.Postgres is null) Skip = "needs PostgreSQL: set DAILYPAPERS_TEST_POSTGRES (`eval $(tests/postgres.sh start)` prints it)";
    }
}
