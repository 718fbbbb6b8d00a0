namespace DailyPapers.Tests.Trust;

/// <summary>
/// The state folder holds password hashes, addresses, token hashes and signing keys: only its owner reads it. A new
/// folder is made 0700 and its files 0600; an existing one that others could read is closed at the next start.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[Trait("Engine", "sqlite")] // the CLI on a bare --data folder, a SQLite file whatever the suite runs on: test.sh runs it once
public class DataFolderTests
{
    const UnixFileMode OthersAny = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
                                   UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    [Fact]
    public async Task ANewDataFolderAndItsFilesAreTheOwnersOnly()
    {
        if (OperatingSystem.IsWindows()) return; // ACLs, not modes: nothing of this applies
        var data = Path.Combine(Directory.CreateTempSubdirectory("dailypapers-perm-").FullName, "data");
        var run = await Cli.RunAsync("import", Fixture.Path("hf/2026-08-21.jsonl"), "--data", data, "--no-embed");
        Assert.Equal(0, run.Exit);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(data));
        var files = Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, f => f.EndsWith("dailypapers.db", StringComparison.Ordinal));
        Assert.All(files, f => Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(f) & OthersAny));
    }

    [Fact]
    public async Task AnOpenFolderFromBeforeIsClosedAtTheNextStart()
    {
        if (OperatingSystem.IsWindows()) return;
        var data = Path.Combine(Directory.CreateTempSubdirectory("dailypapers-perm-").FullName, "data");
        Assert.Equal(0, (await Cli.RunAsync("migrate", "--data", data)).Exit);
        File.SetUnixFileMode(data, File.GetUnixFileMode(data) | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var db = Path.Combine(data, "dailypapers.db");
        File.SetUnixFileMode(db, File.GetUnixFileMode(db) | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        Assert.Equal(0, (await Cli.RunAsync("migrate", "--data", data)).Exit);
        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(data) & OthersAny);
        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(db) & OthersAny);
    }
}
