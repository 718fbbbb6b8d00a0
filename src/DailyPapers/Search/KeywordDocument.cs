using DailyPapers.Papers;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Documents;
using Lucene.Net.Util;

namespace DailyPapers.Search;

/// <summary>
/// What the keyword index holds for a paper, and how its text is cut into terms: one combined field (title, abstract
/// and authors) that ranks, and title and authors alone for title: and author:. Title and abstract are English:
/// possessives dropped, lower case, diacritics folded, stop words removed (positions kept, so phrases still line up),
/// Porter stems. Authors' names are only lower-cased and folded: "Chen" must not be stemmed or stopped.
/// Filters (dates, categories, code) are index fields, so a filtered search never joins the database.
/// </summary>
public static class KeywordDocument
{
    public const LuceneVersion Version = LuceneVersion.LUCENE_48;
    public const string Id = "id", Title = "title", Abstract = "abstract", Authors = "authors";
    public const string Category = "cat", Published = "published", Code = "code", Check = "check", All = "all";

    /// <summary>
    /// How many times the title is written into the combined field, BM25F's field weight as term frequency (Robertson
    /// et al., 2004). Once measured best (bench keyword-sweep: 0.852 / 0.981 MRR@10 against 0.843 / 0.978 twice).
    /// </summary>
    public static int TitleWeight { get; set; } = 1;

    public static readonly Analyzer Analyzer = new PerFieldAnalyzerWrapper(new EnglishText(), new Dictionary<string, Analyzer> { [Authors] = new Names() });

    /// <summary>The document of a visible paper (hidden papers are not in the index at all).</summary>
    public static Document Of(IndexedPaper p)
    {
        var doc = new Document
        {
            new StringField(Id, p.Id, Field.Store.YES),
            new SortedDocValuesField(Id, new BytesRef(p.Id)),
            new TextField(Title, p.Title, Field.Store.NO),
            new TextField(Authors, p.AuthorNames, Field.Store.NO),
            new TextField(All, string.Join('\n', Enumerable.Repeat(p.Title, TitleWeight).Append(p.Summary).Append(p.AuthorNames)), Field.Store.NO),
            new StringField(Code, p.GithubRepo is null ? "0" : "1", Field.Store.NO),
            new StoredField(Check, Fingerprint(p)),
        };
        if (PublishedDay(p) is { } day)
        {
            doc.Add(new Int32Field(Published, day, Field.Store.NO));
            doc.Add(new NumericDocValuesField(Published, day));
        }
        foreach (var c in CategoryTerms(p.Categories)) doc.Add(new StringField(Category, c, Field.Store.NO));
        return doc;
    }

    public static int? PublishedDay(IndexedPaper p) => p.PublishedAt is { } at ? DateOnly.FromDateTime(at).DayNumber : null;

    /// <summary>Each category and its archive (cs.LG and cs), so cat:cs and cat:cs.LG are both one term lookup.</summary>
    public static IEnumerable<string> CategoryTerms(string? categories) =>
        (categories ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(c => c.Contains('.') ? new[] { c, c[..c.IndexOf('.')] } : [c]).Distinct();

    /// <summary>
    /// A short hash of everything indexed, stored with the document: `reindex --verify` compares it with the table's
    /// rows to prove the index holds the current values, not only the right ids.
    /// </summary>
    public static string Fingerprint(IndexedPaper p)
    {
        var text = string.Join('\u001f', p.Id, p.Title, p.Summary, p.AuthorNames, p.Categories ?? "", PublishedDay(p)?.ToString() ?? "", p.GithubRepo is null ? "0" : "1");
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)), 0, 12);
    }

    /// <summary>The terms a piece of text becomes in a field, with their positions (stop words leave gaps).</summary>
    public static List<(string Term, int Position)> Terms(string field, string text)
    {
        var terms = new List<(string, int)>();
        using var stream = Analyzer.GetTokenStream(field, text);
        var term = stream.AddAttribute<Lucene.Net.Analysis.TokenAttributes.ICharTermAttribute>();
        var increment = stream.AddAttribute<Lucene.Net.Analysis.TokenAttributes.IPositionIncrementAttribute>();
        stream.Reset();
        var position = -1;
        while (stream.IncrementToken())
        {
            position += increment.PositionIncrement;
            terms.Add((term.ToString(), position));
        }
        stream.End();
        return terms;
    }

    /// <summary>Lower case and folded, not stemmed: what a prefix (transform*) is compared with.</summary>
    public static string Folded(string text)
    {
        var chars = text.ToLowerInvariant().ToCharArray();
        var output = new char[chars.Length * 4];
        var length = ASCIIFoldingFilter.FoldToASCII(chars, 0, output, 0, chars.Length);
        return new string(output, 0, length);
    }

    sealed class EnglishText : Analyzer
    {
        protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
        {
            var source = new StandardTokenizer(Version, reader);
            TokenStream s = new EnglishPossessiveFilter(Version, source);
            s = new LowerCaseFilter(Version, s);
            s = new ASCIIFoldingFilter(s);
            s = new StopFilter(Version, s, EnglishAnalyzer.DefaultStopSet);
            return new TokenStreamComponents(source, new PorterStemFilter(s));
        }
    }

    sealed class Names : Analyzer
    {
        protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
        {
            var source = new StandardTokenizer(Version, reader);
            return new TokenStreamComponents(source, new ASCIIFoldingFilter(new LowerCaseFilter(Version, source)));
        }
    }
}
