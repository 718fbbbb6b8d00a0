using DailyPapers.Papers;
using Lucene.Net.Analysis.TokenAttributes;

namespace DailyPapers.Search;

/// <summary>
/// Marks the query's words (\u0002…\u0003) in the title and abstract of the papers of one result page. The text goes
/// through the index's own analyzer, so a word is marked exactly when the index would match it: stems match ("models"
/// for "model"), stop words are never marked, a phrase only where its words stand in order, a prefix (transform*)
/// where a word starts with it. Lucene's highlighter did the same with a QueryScorer, which builds an in-memory index
/// of every shown text: 46% of the search page's time (docs/benchmarks.md, "Search request path"); this is one pass of
/// the analyzer over each text.
/// </summary>
public static class KeywordHighlights
{
    /// <summary>About how long the abstract's snippet is: the part with the most distinct matched words.</summary>
    const int SnippetChars = 240;

    public static Dictionary<string, (string Title, string Snippet)> Of(SearchQuery query, IEnumerable<Paper> papers)
    {
        var marks = new Dictionary<string, (string, string)>();
        // Words without a field are looked for in both; title: words in the title only; author: words in neither.
        var inTitle = Patterns(query, SearchField.Title);
        var inAbstract = Patterns(query, SearchField.Any);
        if (inTitle.Patterns.Count == 0 && inAbstract.Patterns.Count == 0) return marks;
        foreach (var p in papers)
        {
            var title = Mark(p.Title, Tokens(KeywordDocument.Title, p.Title, inTitle), inTitle.Patterns, whole: true);
            var snippet = Mark(p.Summary, Tokens(KeywordDocument.Abstract, p.Summary, inAbstract), inAbstract.Patterns, whole: false);
            if (title is null && snippet is null) continue;
            marks[p.Id] = (title ?? p.Title, snippet is null ? "" : Ellipsis(snippet, p.Summary));
        }
        return marks;
    }

    /// <summary>
    /// What to mark: each word or phrase as term numbers with their relative positions, or a prefix. Terms are numbered
    /// (Words), so a token is compared by a lookup of its characters, without a string for every word of every text.
    /// </summary>
    sealed record Pattern(IReadOnlyList<(int Term, int Position)> Terms, int Prefix);

    sealed class Wanted
    {
        public readonly Dictionary<string, int> Words = new(StringComparer.Ordinal);
        public readonly List<string> Prefixes = [];
        public readonly List<Pattern> Patterns = [];
    }

    /// <summary>A token of the text: its term's number (-1: none wanted), the prefixes it starts with (bits), where it is.</summary>
    readonly record struct Token(int Term, int Prefixes, int Position, int Start, int End);

    static Wanted Patterns(SearchQuery query, SearchField field)
    {
        var wanted = new Wanted();
        foreach (var t in query.Positive.Where(t => t.Field == SearchField.Any || t.Field == field))
        {
            // Up to 31 prefixes, one bit each in a token: a 250-character query has room for few more.
            if (t.Prefix && wanted.Prefixes.Count < 31)
            {
                wanted.Prefixes.Add(KeywordDocument.Folded(t.Text));
                wanted.Patterns.Add(new Pattern([], wanted.Prefixes.Count - 1));
            }
            else if (!t.Prefix && KeywordDocument.Terms(KeywordDocument.Title, t.Text) is { Count: > 0 } terms)
                wanted.Patterns.Add(new Pattern([.. terms.Select(x => (Number(wanted.Words, x.Term), x.Position))], -1));
        }
        return wanted;
    }

    static int Number(Dictionary<string, int> words, string term) =>
        words.TryGetValue(term, out var n) ? n : words[term] = words.Count;

    static List<Token> Tokens(string field, string text, Wanted wanted)
    {
        var analysis = Analysed.GetValue(text, t => Analysis.Of(field, t));
        var tokens = new List<Token>(analysis.Terms.Length);
        for (var i = 0; i < analysis.Terms.Length; i++)
        {
            var chars = analysis.Terms[i];
            var prefixes = 0;
            for (var k = 0; k < wanted.Prefixes.Count; k++)
                if (chars.StartsWith(wanted.Prefixes[k], StringComparison.Ordinal)) prefixes |= 1 << k;
            tokens.Add(new Token(wanted.Words.TryGetValue(chars, out var n) ? n : -1, prefixes, analysis.Positions[i], analysis.Starts[i], analysis.Ends[i]));
        }
        return tokens;
    }

    /// <summary>
    /// Each text's tokens as the index's analyzer makes them, kept as long as the text itself lives: the papers that
    /// searches keep (Search/SearchRows) are the same objects from one request to the next, so a shown abstract is
    /// analysed once, not on every page that shows it (the analysis was a quarter of the search page's time). Titles
    /// and abstracts go through the same analyzer, so the text alone is the key.
    /// </summary>
    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<string, Analysis> Analysed = new();

    sealed record Analysis(string[] Terms, int[] Positions, int[] Starts, int[] Ends)
    {
        public static Analysis Of(string field, string text)
        {
            var (terms, positions, starts, ends) = (new List<string>(), new List<int>(), new List<int>(), new List<int>());
            using var stream = KeywordDocument.Analyzer.GetTokenStream(field, text);
            var term = stream.AddAttribute<ICharTermAttribute>();
            var increment = stream.AddAttribute<IPositionIncrementAttribute>();
            var offset = stream.AddAttribute<IOffsetAttribute>();
            stream.Reset();
            var position = -1;
            while (stream.IncrementToken())
            {
                position += increment.PositionIncrement;
                terms.Add(Intern(new ReadOnlySpan<char>(term.Buffer, 0, term.Length)));
                positions.Add(position);
                starts.Add(offset.StartOffset);
                ends.Add(offset.EndOffset);
            }
            stream.End();
            return new([.. terms], [.. positions], [.. starts], [.. ends]);
        }
    }

    /// <summary>One string per distinct term, so kept analyses share them; bounded, past which terms are not shared.</summary>
    static string Intern(ReadOnlySpan<char> chars)
    {
        var lookup = Terms.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(chars, out var known)) return known;
        var text = chars.ToString();
        return Terms.Count < MaxTerms ? Terms.GetOrAdd(text, text) : text;
    }

    const int MaxTerms = 200_000;
    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Terms = new(StringComparer.Ordinal);

    /// <summary>The text with its matched tokens marked (whole), or its best snippet; null when nothing matched.</summary>
    static string? Mark(string text, List<Token> tokens, List<Pattern> patterns, bool whole)
    {
        var matched = new int[tokens.Count]; // 0: not matched, else 1 + the index of the pattern that matched it
        var any = false;
        for (var k = 0; k < patterns.Count; k++)
            for (var i = 0; i < tokens.Count; i++)
                if (Matches(tokens, i, patterns[k]) is { } length)
                {
                    for (var j = i; j < i + length; j++) if (matched[j] == 0) matched[j] = k + 1;
                    any = true;
                }
        if (!any) return null;
        var (from, to) = whole ? (0, text.Length) : Best(text, tokens, matched);
        var marked = new System.Text.StringBuilder(to - from + 32);
        var at = from;
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (matched[i] == 0 || t.Start < from || t.End > to) continue;
            marked.Append(text, at, t.Start - at).Append('\u0002').Append(text, t.Start, t.End - t.Start).Append('\u0003');
            at = t.End;
        }
        return marked.Append(text, at, to - at).ToString();
    }

    /// <summary>How many tokens from i on the pattern covers, or null. Stop words leave position gaps in both.</summary>
    static int? Matches(List<Token> tokens, int i, Pattern p)
    {
        if (p.Prefix >= 0) return (tokens[i].Prefixes & (1 << p.Prefix)) != 0 ? 1 : null;
        if (tokens[i].Term != p.Terms[0].Term) return null;
        var j = i;
        for (var k = 1; k < p.Terms.Count; k++)
        {
            var want = tokens[i].Position + p.Terms[k].Position - p.Terms[0].Position;
            while (j < tokens.Count && tokens[j].Position < want) j++;
            if (j == tokens.Count || tokens[j].Position != want || tokens[j].Term != p.Terms[k].Term) return null;
        }
        return j - i + 1;
    }

    /// <summary>
    /// The stretch of about SnippetChars, cut at token starts, that holds the most distinct matched patterns (then
    /// the most matched tokens); the first such stretch on a tie.
    /// </summary>
    static (int From, int To) Best(string text, List<Token> tokens, int[] matched)
    {
        var (best, bestScore, from) = ((0, text.Length), (-1, -1), 0);
        var seen = new HashSet<int>();
        var count = 0;
        for (var i = 0; i <= tokens.Count; i++)
        {
            // A token longer than a snippet still fits when it starts the stretch, so every stretch moves on.
            if (i < tokens.Count && (tokens[i].End <= from + SnippetChars || tokens[i].Start <= from))
            {
                if (matched[i] != 0) { seen.Add(matched[i]); count++; }
                continue;
            }
            var to = i < tokens.Count ? tokens[i].Start : text.Length;
            if ((seen.Count, count).CompareTo(bestScore) > 0) (best, bestScore) = ((from, to), (seen.Count, count));
            if (i == tokens.Count) break;
            (from, count) = (to, 0);
            seen.Clear();
            i--; // the token that did not fit starts the next stretch
        }
        return best;
    }

    static string Ellipsis(string fragment, string text)
    {
        var plain = fragment.Replace("\u0002", "").Replace("\u0003", "").Trim();
        return (text.TrimStart().StartsWith(plain, StringComparison.Ordinal) ? "" : "…") + fragment.Trim() +
               (text.TrimEnd().EndsWith(plain, StringComparison.Ordinal) ? "" : "…");
    }
}
