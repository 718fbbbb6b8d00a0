using DailyPapers.Data;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Microsoft.EntityFrameworkCore;

/// <summary>
/// The named baseline for search quality: BM25 as a library gives it, with nothing tuned. One field (title and
/// abstract together), Lucene's StandardAnalyzer (lower case, English stop words, no stemming), the query's words ORed.
/// </summary>
sealed class PlainBm25
{
    static PlainBm25? built;
    readonly IndexSearcher searcher;

    PlainBm25(IndexSearcher searcher) => this.searcher = searcher;

    public static async Task<PlainBm25> OfAsync(AppDb db)
    {
        if (built is not null) return built;
        var directory = new RAMDirectory();
        var analyzer = new StandardAnalyzer(LuceneVersion.LUCENE_48);
        using (var writer = new IndexWriter(directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, analyzer) { Similarity = new BM25Similarity() }))
            await foreach (var p in db.Papers.AsNoTracking().Select(p => new { p.Id, p.Title, p.Summary }).AsAsyncEnumerable())
                writer.AddDocument([new StringField("id", p.Id, Field.Store.YES), new TextField("text", p.Title + "\n" + p.Summary, Field.Store.NO)]);
        return built = new PlainBm25(new IndexSearcher(DirectoryReader.Open(directory)) { Similarity = new BM25Similarity() });
    }

    public List<string> Search(string text)
    {
        var query = new BooleanQuery();
        using (var stream = new StandardAnalyzer(LuceneVersion.LUCENE_48).GetTokenStream("text", text))
        {
            var term = stream.AddAttribute<Lucene.Net.Analysis.TokenAttributes.ICharTermAttribute>();
            stream.Reset();
            while (stream.IncrementToken()) query.Add(new TermQuery(new Term("text", term.ToString())), Occur.SHOULD);
            stream.End();
        }
        if (query.Clauses.Count == 0) return [];
        return searcher.Search(query, 10).ScoreDocs.Select(d => searcher.Doc(d.Doc).Get("id")).ToList();
    }
}
