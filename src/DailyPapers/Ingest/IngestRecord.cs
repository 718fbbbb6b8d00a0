using DailyPapers.Feed;
using DailyPapers.Papers;

namespace DailyPapers.Ingest;

/// <summary>
/// One record read from an input: a paper and the days it was featured, another row of a DailyPapers export (Row),
/// or the reason it was refused.
/// </summary>
public sealed record IngestRecord(string Location, Paper? Paper, IReadOnlyList<DailyEntry> Entries, string? Error)
{
    public ExportRow? Row { get; init; }

    public static IngestRecord OfRow(string location, ExportRow row) => new(location, null, [], null) { Row = row };

    public static IngestRecord Ok(string location, Paper paper, params IReadOnlyList<DailyEntry> entries) =>
        new(location, paper, entries, null);

    public static IngestRecord Rejected(string location, string reason) => new(location, null, [], reason);
}

/// <summary>A record that cannot be read; the message says why, for the rejection report.</summary>
public sealed class BadRecordException(string message) : Exception(message);
