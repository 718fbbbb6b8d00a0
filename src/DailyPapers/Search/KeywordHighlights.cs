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
        if (inTitle.Count == 0 && inAbstract.Count == 0) return marks;
        foreach (var p in papers)
        {
            var title = Mark(p.Title, Analysed.GetValue(p.Title, t => Analysis.Of(KeywordDocument.Title, t)), inTitle, whole: true);
            var snippet = Mark(p.Summary, Analysed.GetValue(p.Summary, t => Analysis.Of(KeywordDocument.Abstract, t)), inAbstract, whole: false);
            if (title is null && snippet is null) continue;
            marks[p.Id] = (title ?? p.Title, snippet ?? "");
        }
        return marks;
    }

    /// <summary>What to mark: each word or phrase as its terms with their relative positions, or a prefix.</summary>
    sealed record Pattern(IReadOnlyList<(string Term, int Position)> Terms, string? Prefix);

    static List<Pattern> Patterns(SearchQuery query, SearchField field)
    {
        var wanted = new List<Pattern>();
        foreach (var t in query.Positive.Where(t => t.Field == SearchField.Any || t.Field == field))
        {
            if (t.Prefix) wanted.Add(new Pattern([], KeywordDocument.Folded(t.Text)));
            else if (KeywordDocument.Terms(KeywordDocument.Title, t.Text) is { Count: > 0 } terms) wanted.Add(new Pattern(terms, null));
        }
        return wanted;
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

    /// <summary>
    /// The text with its matched tokens marked (whole), or its best snippet with an ellipsis where it is cut; null when
    /// nothing matched. Tokens are compared in the kept analysis itself: no list of tokens is made for a request (a
    /// copy per shown text was a tenth of the search page's allocations).
    /// </summary>
    static string? Mark(string text, Analysis tokens, List<Pattern> wanted, bool whole)
    {
        var n = tokens.Terms.Length;
        // 0: not matched, else 1 + the index of the pattern that matched it
        Span<int> matched = n <= 1024 ? stackalloc int[n] : new int[n];
        matched.Clear();
        if (!Match(tokens, wanted, matched)) return null;
        var (from, to) = whole ? (0, text.Length) : Trim(text, Best(text, tokens, matched, wanted.Count));
        var marked = new System.Text.StringBuilder(to - from + 32);
        // A snippet that does not start (end) where the text's words do says so with an ellipsis.
        if (!whole && !text.AsSpan(0, from).IsWhiteSpace()) marked.Append('…');
        var at = from;
        for (var i = 0; i < n; i++)
        {
            if (matched[i] == 0 || tokens.Starts[i] < from || tokens.Ends[i] > to) continue;
            marked.Append(text, at, tokens.Starts[i] - at).Append('\u0002').Append(text, tokens.Starts[i], tokens.Ends[i] - tokens.Starts[i]).Append('\u0003');
            at = tokens.Ends[i];
        }
        marked.Append(text, at, to - at);
        if (!whole && !text.AsSpan(to).IsWhiteSpace()) marked.Append('…');
        return marked.ToString();
    }

    /// <summary>Fills `matched` (1 + the pattern's index, for each token a pattern covers); false when none matched.</summary>
    static bool Match(Analysis tokens, List<Pattern> wanted, Span<int> matched)
    {
        var any = false;
        for (var k = 0; k < wanted.Count; k++)
        {
            // The pattern's first term (or prefix) is looked for in a plain loop, the rest only where it is found.
            var (prefix, first) = (wanted[k].Prefix, wanted[k].Prefix is null ? wanted[k].Terms[0].Term : null);
            for (var i = 0; i < tokens.Terms.Length; i++)
            {
                var term = tokens.Terms[i];
                if (prefix is not null ? !term.StartsWith(prefix, StringComparison.Ordinal) : !string.Equals(term, first, StringComparison.Ordinal)) continue;
                if ((prefix is not null ? 1 : Matches(tokens, i, wanted[k])) is var length and > 0)
                {
                    for (var j = i; j < i + length; j++) if (matched[j] == 0) matched[j] = k + 1;
                    any = true;
                }
            }
        }
        return any;
    }

    // A snippet's stretch without the spaces at its ends that the cut left (marks never cover a space).
    static (int From, int To) Trim(string text, (int From, int To) stretch)
    {
        var (from, to) = stretch;
        while (from < to && char.IsWhiteSpace(text[from])) from++;
        while (to > from && char.IsWhiteSpace(text[to - 1])) to--;
        return (from, to);
    }

    /// <summary>
    /// How many tokens from i on the words' pattern covers, or 0; token i is its first term. Stop words leave position
    /// gaps in both.
    /// </summary>
    static int Matches(Analysis tokens, int i, Pattern p)
    {
        var j = i;
        for (var k = 1; k < p.Terms.Count; k++)
        {
            var want = tokens.Positions[i] + p.Terms[k].Position - p.Terms[0].Position;
            while (j < tokens.Terms.Length && tokens.Positions[j] < want) j++;
            if (j == tokens.Terms.Length || tokens.Positions[j] != want || !string.Equals(tokens.Terms[j], p.Terms[k].Term, StringComparison.Ordinal)) return 0;
        }
        return j - i + 1;
    }

    /// <summary>
    /// The stretch of about SnippetChars, cut at token starts, that holds the most distinct matched patterns (then
    /// the most matched tokens); the first such stretch on a tie.
    /// </summary>
    static (int From, int To) Best(string text, Analysis tokens, ReadOnlySpan<int> matched, int patterns)
    {
        var (best, bestScore, from) = ((0, text.Length), (-1, -1), 0);
        var n = tokens.Terms.Length;
        Span<bool> seen = patterns < 256 ? stackalloc bool[patterns + 1] : new bool[patterns + 1];
        var (distinct, count) = (0, 0);
        for (var i = 0; i <= n; i++)
        {
            // A token longer than a snippet still fits when it starts the stretch, so every stretch moves on.
            if (i < n && (tokens.Ends[i] <= from + SnippetChars || tokens.Starts[i] <= from))
            {
                if (matched[i] != 0)
                {
                    if (!seen[matched[i]]) (seen[matched[i]], distinct) = (true, distinct + 1);
                    count++;
                }
                continue;
            }
            var to = i < n ? tokens.Starts[i] : text.Length;
            if ((distinct, count).CompareTo(bestScore) > 0) (best, bestScore) = ((from, to), (distinct, count));
            if (i == n) break;
            (from, count, distinct) = (to, 0, 0);
            seen.Clear();
            i--; // the token that did not fit starts the next stretch
        }
        return best;
    }
}
