using System.Xml.Linq;
using DailyPapers.Papers;

namespace DailyPapers.Ingest;

/// <summary>One page of an OAI-PMH response from arXiv (ListRecords or GetRecord), arXivRaw or arXiv metadata.</summary>
public sealed record OaiPage(IReadOnlyList<IngestRecord> Records, string? ResumptionToken, string? ErrorCode, string? ErrorMessage,
    DateOnly? NewestDatestamp, int Deleted);

public static class OaiFormat
{
    static readonly XNamespace Oai = "http://www.openarchives.org/OAI/2.0/";
    static readonly XNamespace Raw = "http://arxiv.org/OAI/arXivRaw/";
    static readonly XNamespace Meta = "http://arxiv.org/OAI/arXiv/";

    public static bool Matches(XDocument doc) => doc.Root?.Name == Oai + "OAI-PMH";

    public static OaiPage Read(XDocument doc, string source)
    {
        var root = doc.Root!;
        var error = root.Element(Oai + "error");
        var list = root.Element(Oai + "ListRecords") ?? root.Element(Oai + "GetRecord");
        var records = list?.Elements(Oai + "record").ToList() ?? [];
        var live = records.Where(r => (string?)r.Element(Oai + "header")?.Attribute("status") != "deleted").ToList();
        var stamps = records.Select(r => Datestamp(r)).OfType<DateOnly>().ToList();
        var token = Text.Squash(list?.Element(Oai + "resumptionToken")?.Value);
        return new OaiPage(
            live.Select((r, i) => ReadRecord(r, $"{source}: record {i + 1}")).ToList(),
            token, (string?)error?.Attribute("code"), Text.Squash(error?.Value),
            stamps.Count > 0 ? stamps.Max() : null, records.Count - live.Count);
    }

    static DateOnly? Datestamp(XElement record) =>
        DateOnly.TryParse(record.Element(Oai + "header")?.Element(Oai + "datestamp")?.Value, out var d) ? d : null;

    static IngestRecord ReadRecord(XElement record, string location)
    {
        var metadata = record.Element(Oai + "metadata");
        try
        {
            if (metadata?.Element(Raw + "arXivRaw") is { } raw) return IngestRecord.Ok(location, ReadRaw(raw));
            if (metadata?.Element(Meta + "arXiv") is { } meta) return IngestRecord.Ok(location, ReadMeta(meta));
            return IngestRecord.Rejected(location, "no arXivRaw or arXiv metadata in the record");
        }
        catch (BadRecordException ex) { return IngestRecord.Rejected(location, ex.Message); }
    }

    static Paper ReadRaw(XElement m)
    {
        var versions = m.Elements(Raw + "version").Select(v => Text.Rfc1123(v.Element(Raw + "date")?.Value)).ToList();
        var paper = Common(m, Raw, Text.SplitAuthors(m.Element(Raw + "authors")?.Value));
        paper.Version = versions.Count > 0 ? versions.Count : null;
        paper.PublishedAt = versions.FirstOrDefault();
        paper.UpdatedAt = versions.LastOrDefault();
        return paper;
    }

    static Paper ReadMeta(XElement m)
    {
        var names = m.Element(Meta + "authors")?.Elements(Meta + "author")
            .Select(a => Text.Squash($"{a.Element(Meta + "forenames")?.Value} {a.Element(Meta + "keyname")?.Value} {a.Element(Meta + "suffix")?.Value}"))
            .OfType<string>() ?? [];
        var paper = Common(m, Meta, names);
        paper.PublishedAt = Text.Time(m.Element(Meta + "created")?.Value);
        paper.UpdatedAt = Text.Time(m.Element(Meta + "updated")?.Value) ?? paper.PublishedAt;
        return paper;
    }

    static Paper Common(XElement m, XNamespace ns, IEnumerable<string> authors)
    {
        var (id, _) = Text.RequireId(Text.Squash(m.Element(ns + "id")?.Value));
        var categories = Text.Squash(m.Element(ns + "categories")?.Value);
        return new Paper
        {
            Id = id,
            Title = Text.RequireTitle(m.Element(ns + "title")?.Value),
            Summary = Text.Summary(Text.Squash(m.Element(ns + "abstract")?.Value)),
            AuthorsJson = Text.AuthorsJson(authors),
            Categories = categories,
            PrimaryCategory = categories?.Split(' ')[0],
            Comments = Text.Squash(m.Element(ns + "comments")?.Value),
            JournalRef = Text.Squash(m.Element(ns + "journal-ref")?.Value),
            Doi = Text.Squash(m.Element(ns + "doi")?.Value),
            License = Text.Squash(m.Element(ns + "license")?.Value),
        };
    }
}
