namespace DailyPapers.Ingest;

/// <summary>arXiv categories and the OAI-PMH sets that hold them (cs.LG is in set cs; hep-th in physics:hep-th).</summary>
public static class ArxivSets
{
    // Archives that arXiv's OAI interface files under the physics set.
    static readonly HashSet<string> Physics =
    [
        "astro-ph", "cond-mat", "gr-qc", "hep-ex", "hep-lat", "hep-ph", "hep-th", "math-ph", "nlin", "nucl-ex", "nucl-th",
        "physics", "quant-ph",
    ];

    static readonly HashSet<string> Others = ["cs", "econ", "eess", "math", "q-bio", "q-fin", "stat"];

    public static bool TrySetFor(string category, out string set)
    {
        set = "";
        if (!Papers.ArxivCategory.TryParse(category, out category)) return false;
        var archive = category.Split('.')[0];
        if (Physics.Contains(archive)) set = $"physics:{archive}";
        else if (Others.Contains(archive)) set = archive;
        return set.Length > 0;
    }

    /// <summary>Whether a paper's categories include one asked for; a bare archive (hep-th, cs) matches all of it.</summary>
    public static bool Wanted(string? paperCategories, IReadOnlyCollection<string> asked) =>
        asked.Any(a => Papers.ArxivCategory.TryParse(a, out var c) && Papers.ArxivCategory.Matches(paperCategories, c));
}
