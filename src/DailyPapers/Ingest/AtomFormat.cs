using System.Xml.Linq;
using DailyPapers.Papers;

namespace DailyPapers.Ingest;

/// <summary>Responses of the arXiv API (export.arxiv.org/api/query): an Atom feed with arxiv: extensions.</summary>
public static class AtomFormat
{
    static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    static readonly XNamespace Arxiv = "http://arxiv.org/schemas/atom";

    public static bool Matches(XDocument doc) => doc.Root?.Name == Atom + "feed";

    public static IEnumerable<IngestRecord> Read(XDocument doc, string source) =>
        doc.Root!.Elements(Atom + "entry").Select((e, i) => ReadEntry(e, $"{source}: entry {i + 1}"));

    static IngestRecord ReadEntry(XElement e, string location)
    {
        var rawId = e.Element(Atom + "id")?.Value;
        // The API reports errors as an entry whose id points at its error page.
        if (rawId?.Contains("/api/errors", StringComparison.Ordinal) == true)
            return IngestRecord.Rejected(location, "arXiv API error: " + Text.Squash(e.Element(Atom + "summary")?.Value));
        try
        {
            var (id, version) = Text.RequireId(rawId);
            var categories = e.Elements(Atom + "category").Select(c => (string?)c.Attribute("term")).OfType<string>().ToList();
            var primary = (string?)e.Element(Arxiv + "primary_category")?.Attribute("term") ?? categories.FirstOrDefault();
            if (primary is not null) categories = [primary, .. categories.Where(c => c != primary)];
            return IngestRecord.Ok(location, new Paper
            {
                Id = id,
                Version = version,
                Title = Text.RequireTitle(e.Element(Atom + "title")?.Value),
                Summary = Text.Summary(Text.Squash(e.Element(Atom + "summary")?.Value)),
                AuthorsJson = Authors(e),
                PublishedAt = Text.Time(e.Element(Atom + "published")?.Value),
                UpdatedAt = Text.Time(e.Element(Atom + "updated")?.Value),
                Categories = categories.Count > 0 ? string.Join(' ', categories) : null,
                PrimaryCategory = primary,
                Comments = Text.Squash(e.Element(Arxiv + "comment")?.Value),
                JournalRef = Text.Squash(e.Element(Arxiv + "journal_ref")?.Value),
                Doi = Text.Squash(e.Element(Arxiv + "doi")?.Value),
            });
        }
        catch (BadRecordException ex) { return IngestRecord.Rejected(location, ex.Message); }
    }

    static string Authors(XElement e) => System.Text.Json.JsonSerializer.Serialize(
        e.Elements(Atom + "author").Select(a => new { Name = Text.Squash(a.Element(Atom + "name")?.Value), Affiliation = Text.Squash(a.Element(Arxiv + "affiliation")?.Value) })
            .Where(a => a.Name is not null)
            .Select(a => a.Affiliation is null
                ? new Dictionary<string, string> { ["name"] = a.Name! }
                : new Dictionary<string, string> { ["name"] = a.Name!, ["affiliation"] = a.Affiliation }));
}
