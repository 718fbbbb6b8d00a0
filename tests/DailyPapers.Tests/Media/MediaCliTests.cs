using System.Text.Json;

namespace DailyPapers.Tests.Media;

[Trait("Engine", "sqlite")] // the CLI on a bare --data folder, a SQLite file whatever the suite runs on: test.sh runs it once
public sealed class MediaCliTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("dailypapers-media-cli-").FullName;

    [Fact]
    public async Task DryRunCountsWhatWouldBeRenderedAndFetchedAndTouchesNothing()
    {
        Assert.Equal(0, (await Cli.RunAsync("import", Fixture.Path("hf/2026-08-21.jsonl"), "--data", dir, "--no-embed")).Exit);
        var (papers, remote) = Expected(Fixture.Lines("hf/2026-08-21.jsonl"));

        var off = await Cli.RunAsync("media", "--dry-run", "--data", dir);
        Assert.Equal(0, off.Exit);
        Assert.Contains($"dry run: {papers} papers lack a thumbnail (Media:Thumbnails is off); {remote} remote files not fetched (Media:FetchRemote is off)", off.Out);

        var on = await Cli.RunAsync("media", "--dry-run", "--data", dir, "--Media:Thumbnails=true", "--Media:FetchRemote=true", "--Media:BatchSize=7");
        Assert.Contains($"{papers} papers lack a thumbnail (this run would render 7); {remote} remote files not fetched (this run would fetch 7)", on.Out);
        Assert.False(Directory.Exists(Path.Combine(dir, "media")));

        var nothing = await Cli.RunAsync("media", "--data", dir);
        Assert.Contains("nothing to do", nothing.Err);
    }

    /// <summary>Counted here from the raw lines, apart from the app's code: distinct papers, and distinct addresses of media they name.</summary>
    static (int Papers, int Remote) Expected(string[] lines)
    {
        var ids = new HashSet<string>();
        var urls = new HashSet<string>();
        foreach (var line in lines)
        {
            var entry = JsonDocument.Parse(line).RootElement;
            var paper = entry.GetProperty("paper");
            ids.Add(paper.GetProperty("id").GetString()!);
            foreach (var (o, path) in new[] { (entry, "thumbnail"), (entry, "submittedBy.avatarUrl"), (entry, "organization.avatar"),
                         (paper, "submittedOnDailyBy.avatarUrl"), (paper, "organization.avatar") })
                if (Walk(o, path) is { ValueKind: JsonValueKind.String } v) urls.Add(Absolute(v.GetString()!));
            foreach (var o in new[] { entry, paper })
                if (o.TryGetProperty("mediaUrls", out var media) && media.ValueKind == JsonValueKind.Array)
                    foreach (var m in media.EnumerateArray()) urls.Add(Absolute(m.GetString()!));
        }
        return (ids.Count, urls.Count);
    }

    static JsonElement? Walk(JsonElement o, string path)
    {
        foreach (var name in path.Split('.'))
            if (o.ValueKind != JsonValueKind.Object || !o.TryGetProperty(name, out o)) return null;
        return o;
    }

    static string Absolute(string url) => url.StartsWith('/') ? "https://huggingface.co" + url : url;

    public void Dispose() => Directory.Delete(dir, recursive: true);
}
