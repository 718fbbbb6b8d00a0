using System.Globalization;
using System.Text;

namespace DailyPapers.Search;

/// <summary>
/// What a person typed in the search box, understood: words, "quoted phrases", -exclusions, title:, author: and
/// cat: fields. Everything is treated as text: FTS syntax in user input (NEAR(, *, AND, unbalanced quotes) is never
/// passed through, only the words in it.
/// </summary>
public sealed record SearchQuery(IReadOnlyList<SearchTerm> Terms, IReadOnlyList<string> Categories)
{
    public const int MaxLength = 250;

    public IEnumerable<SearchTerm> Positive => Terms.Where(t => !t.Excluded);

    /// <summary>The words a semantic model should see: everything but exclusions, field names and categories.</summary>
    public string SemanticText => string.Join(' ', Positive.Select(t => t.Text));

    public static bool TryParse(string? input, out SearchQuery query, out string error)
    {
        query = new([], []);
        error = "";
        var text = input?.Trim() ?? "";
        if (text.Length == 0) { error = "q must not be empty"; return false; }
        if (text.Length > MaxLength) { error = $"q is longer than {MaxLength} characters"; return false; }
        var terms = new List<SearchTerm>();
        var categories = new List<string>();
        foreach (var (token, quoted) in Tokens(text)) Add(token, quoted, terms, categories);
        query = new(terms, categories);
        if (!query.Positive.Any() && categories.Count == 0)
        {
            error = "q needs at least one word to look for (letters or digits)";
            return false;
        }
        return true;
    }

    static void Add(string token, bool quoted, List<SearchTerm> terms, List<string> categories)
    {
        var excluded = !quoted && token.StartsWith('-') && token.Length > 1;
        if (excluded) token = token[1..];
        var field = SearchField.Any;
        var colon = quoted ? -1 : token.IndexOf(':');
        if (colon > 0)
        {
            var name = token[..colon].ToLowerInvariant();
            var rest = token[(colon + 1)..];
            // Read into arXiv's spelling here, so every matcher (SQL, search filters, digests) sees cs.LG for cat:cs.lg.
            if (name is "cat" or "category") { if (rest.Length > 0) categories.Add(Papers.ArxivCategory.TryParse(rest, out var c) ? c : rest); return; }
            field = name switch { "title" or "ti" => SearchField.Title, "author" or "au" => SearchField.Author, _ => SearchField.Any };
            if (field != SearchField.Any) token = rest.Trim('"');
        }
        var prefix = !quoted && token.EndsWith('*') && token.TrimEnd('*').Length >= 2;
        var words = Words(token);
        if (words.Length > 0) terms.Add(new SearchTerm(words, field, excluded, quoted || words.Contains(' '), prefix));
    }

    /// <summary>Splits on spaces, keeping "quoted runs" (and field:"quoted runs") together; an unclosed quote runs to the end.</summary>
    static IEnumerable<(string Token, bool Quoted)> Tokens(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i])) { i++; continue; }
            var start = i;
            if (text[i] == '"')
            {
                var end = text.IndexOf('"', i + 1);
                end = end < 0 ? text.Length : end;
                yield return (text[(i + 1)..end], true);
                i = end + 1;
                continue;
            }
            while (i < text.Length && !char.IsWhiteSpace(text[i]))
            {
                if (text[i] == '"')
                {
                    var close = text.IndexOf('"', i + 1);
                    i = close < 0 ? text.Length - 1 : close;
                }
                i++;
            }
            yield return (text[start..i], false);
        }
    }

    /// <summary>The letters and digits of a token, other characters as spaces: what the FTS tokenizer will see anyway.</summary>
    static string Words(string token)
    {
        var sb = new StringBuilder(token.Length);
        foreach (var ch in token)
            sb.Append(char.IsLetterOrDigit(ch) || CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.PrivateUse ? ch : ' ');
        return string.Join(' ', sb.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}

public enum SearchField { Any, Title, Author }

public sealed record SearchTerm(string Text, SearchField Field, bool Excluded, bool Phrase, bool Prefix);
