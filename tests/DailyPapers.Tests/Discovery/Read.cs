using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace DailyPapers.Tests.Discovery;

/// <summary>The paper ids a page, an API answer or a feed lists, in order.</summary>
public static partial class Read
{
    [GeneratedRegex("<a class=\"title\" href=\"/papers/([^\"]+)\"")]
    private static partial Regex CardTitle();

    public static List<string> Cards(string html) => CardTitle().Matches(html).Select(m => m.Groups[1].Value).ToList();

    public static async Task<(JsonElement Body, List<string> Ids)> ApiAsync(HttpClient client, string url)
    {
        var body = await client.GetFromJsonAsync<JsonElement>(url);
        return (body, body.GetProperty("papers").EnumerateArray().Select(p => p.GetProperty("id").GetString()!).ToList());
    }

    /// <summary>Ids of an RSS 2.0 or Atom 1.0 feed, parsed as XML: item links, or entry ids.</summary>
    public static async Task<List<string>> FeedAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode}");
        var xml = XDocument.Parse(await response.Content.ReadAsStringAsync());
        XNamespace atom = "http://www.w3.org/2005/Atom";
        var links = xml.Root!.Name == atom + "feed"
            ? xml.Root.Elements(atom + "entry").Select(e => e.Element(atom + "id")!.Value)
            : xml.Root.Element("channel")!.Elements("item").Select(i => i.Element("link")!.Value);
        return links.Select(l => l[(l.IndexOf("/papers/", StringComparison.Ordinal) + "/papers/".Length)..]).ToList();
    }
}
