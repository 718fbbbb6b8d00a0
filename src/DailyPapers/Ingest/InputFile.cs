using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace DailyPapers.Ingest;

/// <summary>
/// An input to import, its format detected from its content: JSON lines (Hugging Face entries, Kaggle arXiv
/// metadata, our export), a JSON array of Hugging Face entries, a recorded HTTP response holding XML, an arXiv API
/// Atom feed, or an OAI-PMH response. Gzip is unpacked on the fly.
/// </summary>
public sealed partial class InputFile : IDisposable
{
    readonly Stream raw;
    readonly StreamReader reader;
    readonly string name;
    readonly DateOnly? dateFromName;
    readonly Dictionary<DateOnly, int> positions = [];

    public InputFile(Stream stream, string name)
    {
        raw = stream;
        this.name = name;
        var buffered = new BufferedStream(stream, 1 << 16);
        var gzip = buffered.CanSeek && Peek(buffered) is [0x1f, 0x8b];
        reader = new StreamReader(gzip ? new GZipStream(buffered, CompressionMode.Decompress) : buffered, Encoding.UTF8);
        var m = DateInName().Match(Path.GetFileName(name));
        dateFromName = m.Success && Feed.Period.TryParseDate(m.Value, out var d) ? d : null;
    }

    public static InputFile Open(string path) => new(File.OpenRead(path), path);

    /// <summary>Share of the input read so far, for the progress bar.</summary>
    public double Progress => raw.CanSeek && raw.Length > 0 ? Math.Min(1, raw.Position / (double)raw.Length) : 0;

    public IEnumerable<IngestRecord> Records()
    {
        var first = FirstChar();
        return first switch
        {
            '<' => FromXml(reader.ReadToEnd(), name),
            '[' => FromArray(),
            '{' => FromLines(),
            -1 => [],
            _ => throw new FormatException($"{name}: not JSON, JSON lines or XML (starts with '{(char)first}')"),
        };
    }

    IEnumerable<IngestRecord> FromLines()
    {
        var firstLine = reader.ReadLine() ?? "";
        if (!IsCompleteJson(firstLine))
        {
            // Not JSON lines: one pretty-printed object.
            using var doc = JsonDocument.Parse(firstLine + "\n" + reader.ReadToEnd());
            foreach (var r in FromObject(doc.RootElement)) yield return r;
            yield break;
        }
        var number = 1;
        for (var line = firstLine; line is not null; line = reader.ReadLine(), number++)
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            yield return FromLine(line, $"{name}:{number}");
        }
    }

    IngestRecord FromLine(string line, string location)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            return FromElement(doc.RootElement, location)
                ?? IngestRecord.Rejected(location, "not a Hugging Face daily entry, Kaggle arXiv record or DailyPapers export line");
        }
        catch (JsonException ex) { return IngestRecord.Rejected(location, "invalid JSON: " + ex.Message); }
    }

    IngestRecord? FromElement(JsonElement e, string location)
    {
        // Our export also has a "paper" key: test for it first.
        if (ExportFormat.Matches(e)) return ExportFormat.Read(e, location);
        if (ExportRows.Matches(e)) return ExportRows.Read(e, location);
        if (HfDailyFormat.Matches(e)) return HfDailyFormat.Read(e, location, dateFromName, NextPosition);
        if (KaggleFormat.Matches(e)) return KaggleFormat.Read(e, location);
        return null;
    }

    IEnumerable<IngestRecord> FromArray()
    {
        using var doc = JsonDocument.Parse(reader.ReadToEnd());
        return doc.RootElement.EnumerateArray()
            .Select((e, i) => FromElement(e, $"{name}[{i}]") ?? IngestRecord.Rejected($"{name}[{i}]", "not a daily-papers entry"))
            .ToList();
    }

    IEnumerable<IngestRecord> FromObject(JsonElement o)
    {
        // A recorded HTTP response {url, status_code, body}, as the arXiv client's test fixtures keep them.
        if (HfDailyFormat.Str(o, "body") is { } body && body.TrimStart().StartsWith('<'))
            return FromXml(body, name);
        // An older daily-papers wrapper: {status, date, count, data: [...]}.
        if (o.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
        {
            var date = HfDailyFormat.Str(o, "date");
            return data.EnumerateArray().Select((e, i) => HfDailyFormat.Read(e, $"{name}[{i}]",
                date is not null && Feed.Period.TryParseDate(date, out var d) ? d : dateFromName, NextPosition)).ToList();
        }
        return [FromElement(o, name) ?? IngestRecord.Rejected(name, "unknown JSON document")];
    }

    static IEnumerable<IngestRecord> FromXml(string xml, string source)
    {
        XDocument doc;
        try { doc = XDocument.Parse(xml); }
        catch (XmlException ex) { return [IngestRecord.Rejected(source, "invalid XML: " + ex.Message)]; }
        if (AtomFormat.Matches(doc)) return AtomFormat.Read(doc, source).ToList();
        if (OaiFormat.Matches(doc)) return OaiFormat.Read(doc, source).Records;
        return [IngestRecord.Rejected(source, $"unknown XML document <{doc.Root?.Name.LocalName}>")];
    }

    int NextPosition(DateOnly date)
    {
        positions.TryGetValue(date, out var n);
        positions[date] = n + 1;
        return n;
    }

    int FirstChar()
    {
        while (reader.Peek() is var c and >= 0 && (char.IsWhiteSpace((char)c) || c == '\uFEFF')) reader.Read();
        return reader.Peek();
    }

    static bool IsCompleteJson(string line)
    {
        var r = new Utf8JsonReader(Encoding.UTF8.GetBytes(line));
        try { return JsonDocument.TryParseValue(ref r, out var d) && d is not null; }
        catch (JsonException) { return false; }
    }

    static byte[] Peek(BufferedStream s)
    {
        var b = new byte[2];
        var n = s.Read(b, 0, 2);
        s.Position -= n;
        return b[..n];
    }

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}")]
    private static partial Regex DateInName();

    public void Dispose() => reader.Dispose();
}
