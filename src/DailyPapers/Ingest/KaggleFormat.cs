using System.Text.Json;
using DailyPapers.Papers;
using static DailyPapers.Ingest.HfDailyFormat;

namespace DailyPapers.Ingest;

/// <summary>Lines of Kaggle's arxiv-metadata-oai-snapshot.json (Cornell's arXiv metadata dump).</summary>
public static class KaggleFormat
{
    public static bool Matches(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty("abstract", out _) &&
        (e.TryGetProperty("versions", out _) || e.TryGetProperty("authors_parsed", out _));

    public static IngestRecord Read(JsonElement e, string location)
    {
        try
        {
            var (id, _) = Text.RequireId(Str(e, "id"));
            var versions = e.TryGetProperty("versions", out var v) && v.ValueKind == JsonValueKind.Array
                ? v.EnumerateArray().Select(x => Text.Rfc1123(Str(x, "created"))).ToList() : [];
            var categories = Text.Squash(Str(e, "categories"));
            return IngestRecord.Ok(location, new Paper
            {
                Id = id,
                Version = versions.Count > 0 ? versions.Count : null,
                Title = Text.RequireTitle(Str(e, "title")),
                Summary = Text.Summary(Text.Squash(Str(e, "abstract"))),
                AuthorsJson = Text.AuthorsJson(Authors(e)),
                PublishedAt = versions.FirstOrDefault(),
                UpdatedAt = versions.LastOrDefault(),
                Categories = categories,
                PrimaryCategory = categories?.Split(' ')[0],
                Comments = Text.Squash(Str(e, "comments")),
                JournalRef = Text.Squash(Str(e, "journal-ref")),
                Doi = Str(e, "doi"),
                License = Str(e, "license"),
            });
        }
        catch (BadRecordException ex) { return IngestRecord.Rejected(location, ex.Message); }
    }

    // authors_parsed is [last, first, suffix]; it spares us splitting "A, B and C" by hand.
    static IEnumerable<string> Authors(JsonElement e)
    {
        if (!e.TryGetProperty("authors_parsed", out var parsed) || parsed.ValueKind != JsonValueKind.Array)
            return Text.SplitAuthors(Str(e, "authors"));
        return parsed.EnumerateArray()
            .Where(a => a.ValueKind == JsonValueKind.Array)
            .Select(a => a.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() : null).ToList())
            .Select(a => Text.Squash(string.Join(' ', new[] { At(a, 1), At(a, 0), At(a, 2) }.Where(s => !string.IsNullOrWhiteSpace(s)))))
            .OfType<string>();
    }

    static string? At(List<string?> parts, int i) => i < parts.Count ? parts[i] : null;
}
