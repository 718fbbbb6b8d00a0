using System.Collections.Concurrent;
using System.Numerics.Tensors;
using DailyPapers.Search;

namespace DailyPapers.Digest;

/// <summary>A paper of the period as the picker sees it: lower-cased words for matching, its vector if embedded.</summary>
public sealed class Candidate
{
    public Candidate(string id, string title, string summary, string authors, string? categories, float[]? vector, string? organization = null)
    {
        Organization = organization;
        Id = id;
        TitleWords = Words(title);
        AllWords = Words(title + " " + summary);
        Text = " " + string.Join(' ', Tokens(title + " " + summary)) + " ";
        Authors = authors.ToLowerInvariant();
        Categories = categories;
        Vector = vector;
    }

    public string Id { get; }
    public string[] TitleWords { get; }
    public string[] AllWords { get; }
    /// <summary>The words joined by single spaces, with a space at each end, for phrase matching.</summary>
    public string Text { get; }
    public string Authors { get; }
    /// <summary>The Hugging Face organisation the paper is listed under (its "name"), if any.</summary>
    public string? Organization { get; }
    /// <summary>As stored: space-separated, primary first.</summary>
    public string? Categories { get; }
    public float[]? Vector { get; }

    /// <summary>Runs of letters and digits, lower-cased.</summary>
    public static List<string> Tokens(string s)
    {
        var tokens = new List<string>();
        var start = -1;
        for (var i = 0; i <= s.Length; i++)
        {
            var inWord = i < s.Length && char.IsLetterOrDigit(s[i]);
            if (inWord && start < 0) start = i;
            else if (!inWord && start >= 0)
            {
                tokens.Add(s[start..i].ToLowerInvariant());
                start = -1;
            }
        }
        return tokens;
    }

    static string[] Words(string s) => Tokens(s).Distinct().Order(StringComparer.Ordinal).ToArray();
}

/// <summary>
/// Chooses each subscriber's papers from the period's list (already in trending order). Papers that match the
/// subscriber's topics come first, best match first; the rest of the list fills up to the count. Pure apart from a
/// memo: how each topic matches the period is computed once and shared by every subscriber who follows it, which is
/// what makes composing 100,000 digests cheap.
/// </summary>
public sealed class DigestPicker(IReadOnlyList<Candidate> papers, double relatedCosine)
{
    readonly ConcurrentDictionary<string, double[]> memo = new();

    public IReadOnlyList<Candidate> Papers => papers;

    public (List<string> Ids, int Matched) Pick(Topics topics, float[]? topicVector, int count)
    {
        // A vector alone is a topic too ("For you" has a taste but may follow nothing).
        if (topics.IsEmpty && topicVector is null) return (papers.Take(count).Select(p => p.Id).ToList(), 0);
        var scores = new double[papers.Count];
        foreach (var c in topics.Categories) Add(scores, "c:" + c, 1, p => InCategory(p, c));
        foreach (var a in topics.Authors) Add(scores, "a:" + a, 2, p => p.Authors.Contains(a.ToLowerInvariant(), StringComparison.Ordinal));
        foreach (var o in topics.Organizations) Add(scores, "o:" + o, 2, p => string.Equals(p.Organization, o, StringComparison.OrdinalIgnoreCase));
        foreach (var k in topics.Keywords) Add(scores, "k:" + k, 1, p => HasAll(p.AllWords, Candidate.Tokens(k)));
        if (topics.Query is { } q && SearchQuery.TryParse(q, out var query, out _)) Add(scores, "q:" + q, 2, p => Matches(p, query));
        var matched = new List<(int Index, double Score)>();
        for (var i = 0; i < papers.Count; i++)
        {
            var cosine = topicVector is not null && papers[i].Vector is { } v ? TensorPrimitives.Dot(topicVector, v) : 0;
            var score = scores[i] + (scores[i] > 0 || cosine >= relatedCosine ? cosine : 0);
            if (score > 0) matched.Add((i, score));
        }
        var first = matched.OrderByDescending(m => m.Score).ThenBy(m => m.Index).Take(count).Select(m => m.Index).ToList();
        var rest = Enumerable.Range(0, papers.Count).Except(first).Take(count - first.Count);
        return (first.Concat(rest).Select(i => papers[i].Id).ToList(), first.Count);
    }

    void Add(double[] scores, string key, double weight, Func<Candidate, bool> test)
    {
        var hits = memo.GetOrAdd(key.ToLowerInvariant(), _ => papers.Select(p => test(p) ? weight : 0).ToArray());
        for (var i = 0; i < scores.Length; i++) scores[i] += hits[i];
    }

    static bool InCategory(Candidate p, string category) => DailyPapers.Papers.ArxivCategory.Matches(p.Categories, category);

    static bool Matches(Candidate p, SearchQuery query) =>
        query.Categories.All(c => InCategory(p, c)) && query.Terms.All(t => TermMatches(p, t) != t.Excluded);

    static bool TermMatches(Candidate p, SearchTerm term)
    {
        var words = Candidate.Tokens(term.Text);
        return term.Field switch
        {
            SearchField.Author => p.Authors.Contains(term.Text.ToLowerInvariant(), StringComparison.Ordinal),
            SearchField.Title => HasAll(p.TitleWords, words),
            _ when term.Phrase => p.Text.Contains(" " + string.Join(' ', words) + " ", StringComparison.Ordinal),
            _ => HasAll(p.AllWords, words),
        };
    }

    static bool HasAll(string[] sorted, IEnumerable<string> words) => words.All(w => Has(sorted, w));

    /// <summary>
    /// A word matches itself, a longer word it begins (model → models, modelling), or its singular (models → model).
    /// No stemmer: a digest is a handful of papers, and a loose match there costs a line, not a ranking.
    /// </summary>
    static bool Has(string[] sorted, string word)
    {
        var at = Array.BinarySearch(sorted, word, StringComparer.Ordinal);
        if (at >= 0) return true;
        at = ~at;
        if (word.Length >= 4 && at < sorted.Length && sorted[at].StartsWith(word, StringComparison.Ordinal)) return true;
        return word.Length > 4 && word.EndsWith('s') && Array.BinarySearch(sorted, word[..^1], StringComparer.Ordinal) >= 0;
    }
}
