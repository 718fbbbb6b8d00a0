namespace DailyPapers.Tests.InBrowser;

/// <summary>
/// Where the browser suite leaves what a person reads after a run (screenshots, the accessibility summary):
/// $TEST_ARTIFACTS/browser when CI sets it, else artifacts/browser at the repository root (ignored by git).
/// </summary>
public static class Artifacts
{
    static readonly Lazy<string> folder = new(() =>
    {
        var root = Environment.GetEnvironmentVariable("TEST_ARTIFACTS") is { Length: > 0 } set ? set : Path.Combine(RepositoryRoot(), "artifacts");
        return Directory.CreateDirectory(Path.Combine(root, "browser")).FullName;
    });

    public static string Folder => folder.Value;

    public static string PathFor(string name) => Path.Combine(Folder, name);

    /// <summary>A file name for a page address: "/papers?date=2026-08-21" gives "papers_date-2026-08-21".</summary>
    public static string Slug(string url)
    {
        var slug = new string(url.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : c == '=' ? '-' : '_').ToArray()).Trim('_');
        return slug.Length == 0 ? "home" : slug.Length > 80 ? slug[..80] : slug;
    }

    static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DailyPapers.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? Path.GetTempPath();
    }
}
