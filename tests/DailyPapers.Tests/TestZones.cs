using System.Runtime.CompilerServices;

namespace DailyPapers.Tests;

/// <summary>
/// The time zone data the tests use ships with them (Fixtures/zoneinfo), so they pass the same on a machine without
/// tzdata. .NET on Linux reads a zone from $TZDIR (default /usr/share/zoneinfo) when it is first looked up, and "UTC"
/// needs no file; setting TZDIR before any test runs makes every lookup, in this process and in the CLI processes the
/// tests start (they inherit the environment), read the shipped files.
/// </summary>
static class TestZones
{
    public static string Folder => Fixture.Path("zoneinfo");

#pragma warning disable CA2255 // a test assembly is the one place a module initializer belongs
    [ModuleInitializer]
    internal static void UseTheShippedZoneData() => Environment.SetEnvironmentVariable("TZDIR", Folder);
#pragma warning restore CA2255
}
