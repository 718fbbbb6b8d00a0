using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DailyPapers.Tests.HuggingFace;

/// <summary>Our /api answers against real Hugging Face entries: the same keys, the same kinds of values, the same timestamps.</summary>
public sealed class FidelityTests
{
    /// <summary>
    /// Keys of ours that Hugging Face's daily entries do not (always) carry, each documented in the README: the day an
    /// entry was featured; the entry's summary and thumbnail, which the 2024 lists lacked or called mediaUrl; arXiv's
    /// metadata; the paper's comment count; the linked artifacts (always present here, empty when no import had them).
    /// </summary>
    static readonly HashSet<string> Ours =
    [
        "date", "summary", "thumbnail", "paper.version", "paper.updatedAt", "paper.categories", "paper.primaryCategory", "paper.arxivComment",
        "paper.journalRef", "paper.doi", "paper.arxivUrl", "paper.pdfUrl", "paper.numComments",
        "paper.linkedModels", "paper.linkedDatasets", "paper.linkedSpaces", "paper.numTotalModels", "paper.numTotalDatasets", "paper.numTotalSpaces",
    ];

    [Theory]
    [InlineData("hf/2026-08-21.jsonl", "2026-08-21")]
    [InlineData("hf/2024-05-27.jsonl", "2024-05-27")]
    [InlineData("hf/2024-12-20.jsonl", "2024-12-20")]
    [InlineData("hf/documented-shape.jsonl", "2026-08-21")]
    public async Task DailyEntriesHaveHuggingFacesKeysAndValueKindsAtEveryLevel(string fixture, string date)
    {
        await using var app = new AppFactory();
        await app.ImportAsync(fixture);
        var ours = (await app.CreateClient().GetFromJsonAsync<JsonElement[]>($"/api/daily_papers?date={date}&limit=100"))!
            .ToDictionary(e => e.GetProperty("paper").GetProperty("id").GetString()!);
        foreach (var hf in Fixture.Lines(fixture).Select(Some.Json))
        {
            var id = hf.GetProperty("paper").GetProperty("id").GetString()!;
            Compare(hf, ours[id], "");
            var extra = Keys(ours[id], "").Except(Keys(hf, "")).Where(k => !k.StartsWith("paper.authors", StringComparison.Ordinal));
            Assert.All(extra, k => Assert.Contains(k, Ours));
        }
    }

    /// <summary>Every key Hugging Face sent is ours too, with a value of the same JSON kind (recursing into objects and arrays).</summary>
    static void Compare(JsonElement hf, JsonElement ours, string path)
    {
        var kind = hf.ValueKind is JsonValueKind.True or JsonValueKind.False ? "bool" : hf.ValueKind.ToString();
        var ourKind = ours.ValueKind is JsonValueKind.True or JsonValueKind.False ? "bool" : ours.ValueKind.ToString();
        Assert.True(kind == ourKind, $"{path}: Hugging Face sends {kind}, we send {ourKind}");
        if (hf.ValueKind == JsonValueKind.Object)
            foreach (var p in hf.EnumerateObject())
            {
                Assert.True(ours.TryGetProperty(p.Name, out var mine), $"{path}{p.Name} is missing");
                Compare(p.Value, mine, $"{path}{p.Name}.");
            }
        if (hf.ValueKind == JsonValueKind.Array)
        {
            Assert.Equal(hf.GetArrayLength(), ours.GetArrayLength());
            foreach (var (a, b) in hf.EnumerateArray().Zip(ours.EnumerateArray())) Compare(a, b, path + "[].");
        }
        if (hf.ValueKind == JsonValueKind.String && path.EndsWith("At.", StringComparison.Ordinal))
            Assert.Equal(Timestamps.Both(hf.GetString()!), Timestamps.Both(ours.GetString()!));
    }

    static IEnumerable<string> Keys(JsonElement e, string path) => e.ValueKind != JsonValueKind.Object ? []
        : e.EnumerateObject().SelectMany(p => Keys(p.Value, $"{path}{p.Name}.").Prepend(path + p.Name));

    [Fact]
    public async Task EveryTimestampOfTheApiHasMillisecondsAndZ()
    {
        await using var app = new AppFactory();
        await app.ImportAsync("hf/2026-08-21.jsonl", "hf/documented-shape.jsonl", "kaggle/arxiv-metadata-oai-snapshot.sample200.jsonl",
            "oai/GetRecord_arXivRaw.xml");
        var client = app.CreateClient();
        var seen = 0;
        foreach (var url in new[] { "/api/daily_papers?date=2026-08-21", "/api/daily_papers?sort=trending", "/api/papers/2608.13210",
                     "/api/papers/0704.0001", "/api/papers?limit=100", "/api/papers/search?q=quantum", "/api/papers/search", "/api/trending",
                     "/api/papers/2608.99001" })
        {
            var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            foreach (var (name, value) in Strings(await response.Content.ReadFromJsonAsync<JsonElement>()))
            {
                if (!name.EndsWith("At", StringComparison.Ordinal)) continue;
                Assert.Matches(Millis, value);
                Timestamps.Strict(value);
                seen++;
            }
        }
        Assert.True(seen > 100, $"only {seen} timestamps seen");
    }

    static readonly Regex Millis = new(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\z");

    static IEnumerable<(string Name, string Value)> Strings(JsonElement e, string name = "") => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().SelectMany(p => Strings(p.Value, p.Name)),
        JsonValueKind.Array => e.EnumerateArray().SelectMany(x => Strings(x, name)),
        JsonValueKind.String => [(name, e.GetString()!)],
        _ => [],
    };
}
