using System.Text;
using System.Xml;
using DailyPapers.Papers;

namespace DailyPapers.Feeds;

public sealed record SyndicationItem(Paper Paper, DateTime Updated);

/// <summary>A list rendered as RSS 2.0 or Atom 1.0. Every list of the hub goes through here.</summary>
public static class FeedWriter
{
    const string AtomNs = "http://www.w3.org/2005/Atom";
    const string DcNs = "http://purl.org/dc/elements/1.1/";

    /// <summary>The list as an HTTP response, Atom or RSS, with its content type.</summary>
    public static IResult Result(bool atom, string title, string pageUrl, string selfUrl, IReadOnlyList<SyndicationItem> items, string baseUrl) => atom
        ? Results.Text(Atom(title, pageUrl, selfUrl, items, baseUrl), "application/atom+xml; charset=utf-8")
        : Results.Text(Rss(title, pageUrl, selfUrl, items, baseUrl), "application/rss+xml; charset=utf-8");

    public static string Rss(string title, string pageUrl, string selfUrl, IReadOnlyList<SyndicationItem> items, string baseUrl)
    {
        return Write(w =>
        {
            w.WriteStartElement("rss");
            w.WriteAttributeString("version", "2.0");
            w.WriteAttributeString("xmlns", "atom", null, AtomNs);
            w.WriteAttributeString("xmlns", "dc", null, DcNs);
            w.WriteStartElement("channel");
            w.WriteElementString("title", Clean(title));
            w.WriteElementString("link", pageUrl);
            w.WriteElementString("description", Clean(title));
            Link(w, selfUrl, "self", "application/rss+xml");
            if (items.Count > 0) w.WriteElementString("lastBuildDate", items.Max(i => i.Updated).ToString("R"));
            foreach (var item in items) RssItem(w, item, baseUrl);
            w.WriteEndElement();
            w.WriteEndElement();
        });
    }

    static void RssItem(XmlWriter w, SyndicationItem item, string baseUrl)
    {
        var p = item.Paper;
        w.WriteStartElement("item");
        w.WriteElementString("title", Clean(p.DisplayTitle));
        w.WriteElementString("link", $"{baseUrl}/papers/{p.Id}");
        w.WriteStartElement("guid");
        w.WriteAttributeString("isPermaLink", "true");
        w.WriteString($"{baseUrl}/papers/{p.Id}");
        w.WriteEndElement();
        w.WriteElementString("pubDate", item.Updated.ToString("R"));
        foreach (var name in PaperView.AuthorNames(p)) w.WriteElementString("creator", DcNs, Clean(name));
        foreach (var c in p.CategoryList) w.WriteElementString("category", Clean(c));
        w.WriteElementString("description", Clean(Description(p)));
        w.WriteEndElement();
    }

    public static string Atom(string title, string pageUrl, string selfUrl, IReadOnlyList<SyndicationItem> items, string baseUrl)
    {
        return Write(w =>
        {
            w.WriteStartElement("feed", AtomNs);
            w.WriteElementString("title", AtomNs, Clean(title));
            w.WriteElementString("id", AtomNs, selfUrl);
            w.WriteElementString("updated", AtomNs, Stamp(items.Count > 0 ? items.Max(i => i.Updated) : DateTime.UnixEpoch));
            Link(w, pageUrl, "alternate", "text/html");
            Link(w, selfUrl, "self", "application/atom+xml");
            foreach (var item in items) AtomEntry(w, item, baseUrl);
            w.WriteEndElement();
        });
    }

    static void AtomEntry(XmlWriter w, SyndicationItem item, string baseUrl)
    {
        var p = item.Paper;
        w.WriteStartElement("entry", AtomNs);
        w.WriteElementString("title", AtomNs, Clean(p.DisplayTitle));
        w.WriteElementString("id", AtomNs, $"{baseUrl}/papers/{p.Id}");
        w.WriteElementString("updated", AtomNs, Stamp(item.Updated));
        Link(w, $"{baseUrl}/papers/{p.Id}", "alternate", "text/html");
        Link(w, p.PdfUrl, "related", "application/pdf");
        foreach (var name in PaperView.AuthorNames(p))
        {
            w.WriteStartElement("author", AtomNs);
            w.WriteElementString("name", AtomNs, Clean(name));
            w.WriteEndElement();
        }
        foreach (var c in p.CategoryList)
        {
            w.WriteStartElement("category", AtomNs);
            w.WriteAttributeString("term", Clean(c));
            w.WriteEndElement();
        }
        w.WriteStartElement("summary", AtomNs);
        w.WriteAttributeString("type", "text");
        w.WriteString(Clean(Description(p)));
        w.WriteEndElement();
        w.WriteEndElement();
    }

    static string Description(Paper p)
    {
        var parts = new List<string> { Ingest.Text.Squash(p.Summary) ?? "" };
        if (p.GithubRepo is not null) parts.Add("Code: " + p.GithubRepo);
        parts.Add($"{p.Counts.Upvotes} upvotes · arXiv {p.Id}");
        return string.Join("\n\n", parts);
    }

    static void Link(XmlWriter w, string href, string rel, string type)
    {
        w.WriteStartElement("link", AtomNs);
        w.WriteAttributeString("href", href);
        w.WriteAttributeString("rel", rel);
        w.WriteAttributeString("type", type);
        w.WriteEndElement();
    }

    static string Stamp(DateTime t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

    static string Write(Action<XmlWriter> body)
    {
        var sb = new StringBuilder();
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) };
        using (var w = XmlWriter.Create(new StringWriterUtf8(sb), settings))
        {
            w.WriteStartDocument();
            body(w);
        }
        return sb.ToString();
    }

    // Characters XML 1.0 forbids (stray control codes, lone surrogates in old data) must not break the whole feed.
    static string Clean(string s) => s.Any(c => !XmlConvert.IsXmlChar(c)) ? new string(s.Where(XmlConvert.IsXmlChar).ToArray()) : s;

    sealed class StringWriterUtf8(StringBuilder sb) : StringWriter(sb)
    {
        public override Encoding Encoding => Encoding.UTF8;
    }
}
