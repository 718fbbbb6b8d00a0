using System.Text.Json;

namespace DailyPapers.Tests.Discovery;

/// <summary>
/// Hugging Face fixture entries read straight from the JSON lines, apart from the app's own readers, so tests can say
/// what a page should list without asking the code under test.
/// </summary>
public sealed record FixturePaper(string Id, DateTime PublishedAt, DateOnly Date, IReadOnlyList<string> Authors, IReadOnlyList<string> Organizations)
{
    public static List<FixturePaper> Read(params string[] fixtures) =>
        fixtures.SelectMany(Fixture.Lines).Select(line => From(JsonDocument.Parse(line).RootElement)).ToList();

    static FixturePaper From(JsonElement e)
    {
        var p = e.GetProperty("paper");
        var authors = p.GetProperty("authors").EnumerateArray()
            .Where(a => !(a.TryGetProperty("hidden", out var h) && h.GetBoolean())).Select(a => a.GetProperty("name").GetString()!).ToList();
        var organizations = new[] { e, p }.Where(x => x.TryGetProperty("organization", out var o) && o.ValueKind == JsonValueKind.Object)
            .Select(x => x.GetProperty("organization").GetProperty("name").GetString()!).ToList();
        return new FixturePaper(p.GetProperty("id").GetString()!, p.GetProperty("publishedAt").GetDateTime().ToUniversalTime(),
            DateOnly.Parse(e.GetProperty("date").GetString()!), authors, organizations);
    }

    /// <summary>Distinct papers, newest first as the discovery lists order them (first version, then id).</summary>
    public static List<string> NewestFirst(IEnumerable<FixturePaper> papers) =>
        papers.DistinctBy(p => p.Id).OrderByDescending(p => p.PublishedAt).ThenByDescending(p => p.Id, StringComparer.Ordinal).Select(p => p.Id).ToList();
}
