using System.Text;
using Deque.AxeCore.Commons;

namespace DailyPapers.Tests.InBrowser;

/// <summary>One rule broken on one page as one reader saw it, with the elements that break it.</summary>
public sealed record Violation(string Page, string Variant, string Rule, string Impact, string Help, IReadOnlyList<string> Targets)
{
    /// <summary>What makes a page unusable for some readers: these fail the sweep; moderate and minor are reported.</summary>
    public bool Blocking => Impact is "serious" or "critical";

    public override string ToString() => $"{Page} ({Variant}): {Rule} [{Impact}] {Help} at {string.Join(", ", Targets.Take(5))}{(Targets.Count > 5 ? $" and {Targets.Count - 5} more" : "")}";
}

/// <summary>
/// What the sweep saw: each page's violations by impact, written as a Markdown summary to quote. The sweep's browser
/// contexts run at once and report here concurrently, hence the lock.
/// </summary>
public sealed class AxeReport
{
    static readonly string[] Impacts = ["critical", "serious", "moderate", "minor"];
    readonly List<(string Page, string Variant, int Status)> visited = [];
    readonly List<(string Page, string Why)> skipped = [];

    readonly Dictionary<string, TimeSpan> timings = [];

    public List<Violation> Violations { get; } = [];

    /// <summary>Where the sweep's time goes, summed over its contexts, for the summary: "load 12 s, axe 30 s, …".</summary>
    public string Timings => string.Join(", ", timings.Select(t => $"{t.Key} {t.Value.TotalSeconds:0} s"));

    public async Task<T> TimeAsync<T>(string phase, Func<Task<T>> step)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try { return await step(); }
        finally { lock (visited) timings[phase] = timings.GetValueOrDefault(phase) + clock.Elapsed; }
    }

    public Task TimeAsync(string phase, Func<Task> step) => TimeAsync(phase, async () => { await step(); return true; });

    public void Add(string page, string variant, int status, AxeResult result)
    {
        lock (visited)
        {
            visited.Add((page, variant, status));
            foreach (var v in result.Violations ?? [])
                Violations.Add(new Violation(page, variant, v.Id, v.Impact ?? "unknown", v.Help,
                    (v.Nodes ?? []).Select(n => n.Target?.ToString() ?? "?").ToList()));
        }
    }

    public void Skip(string page, string why)
    {
        lock (visited) if (!skipped.Contains((page, why))) skipped.Add((page, why));
    }

    public IReadOnlyList<Violation> Blocking => Violations.Where(v => v.Blocking).OrderBy(v => v.Page, StringComparer.Ordinal).ThenBy(v => v.Variant).ToList();

    public string Markdown()
    {
        var md = new StringBuilder("# Accessibility sweep (axe-core)\n\n");
        md.AppendLine($"{visited.Select(v => v.Page.Split(" → ")[0]).Distinct().Count()} addresses, each anonymous and signed in (admin), light and dark. Serious or critical: {Blocking.Count}.\n");
        md.AppendLine($"Time spent: {Timings}.\n");
        md.AppendLine("| page | reader, scheme | status | critical | serious | moderate | minor | rules |");
        md.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var (page, variant, status) in visited.OrderBy(v => v.Page, StringComparer.Ordinal).ThenBy(v => v.Variant))
        {
            var here = Violations.Where(v => v.Page == page && v.Variant == variant).ToList();
            var counts = Impacts.Select(i => here.Count(v => v.Impact == i).ToString());
            md.AppendLine($"| `{page}` | {variant} | {status} | {string.Join(" | ", counts)} | {string.Join(", ", here.Select(v => v.Rule).Distinct())} |");
        }
        md.AppendLine("\n## By rule\n");
        foreach (var rule in Violations.GroupBy(v => (v.Rule, v.Impact)).OrderBy(g => Array.IndexOf(Impacts, g.Key.Impact)))
            md.AppendLine($"- {rule.Key.Rule} [{rule.Key.Impact}] on {rule.Select(v => v.Page).Distinct().Count()} pages ({rule.Count()} page views): " +
                          string.Join(", ", rule.SelectMany(v => v.Targets).Distinct().Select(t => $"`{t}`")));
        md.AppendLine("\n## Every violation\n");
        foreach (var v in Violations.OrderBy(v => Array.IndexOf(Impacts, v.Impact)).ThenBy(v => v.Page, StringComparer.Ordinal).ThenBy(v => v.Variant))
            md.AppendLine($"- {v}");
        md.AppendLine("\n## Not swept\n");
        foreach (var (page, why) in skipped) md.AppendLine($"- `{page}`: {why}");
        return md.ToString();
    }
}
