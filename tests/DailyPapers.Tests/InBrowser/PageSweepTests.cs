using System.Diagnostics;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace DailyPapers.Tests.InBrowser;

/// <summary>
/// Every page, anonymous and signed in, light and dark: axe-core finds no serious or critical violation, and each
/// page is photographed at a phone's and a laptop's width for a person to look at (Artifacts.Folder).
/// </summary>
[Collection("browser")]
public class PageSweepTests(BrowserHub hub, ITestOutputHelper output)
{
    static readonly (int Width, int Height)[] Sizes = [(1280, 800), (390, 844)];

    [Fact]
    public async Task NoPageHasASeriousOrCriticalAccessibilityViolationSignedInOrNotInLightOrDark()
    {
        var clock = Stopwatch.StartNew();
        var pages = SweptPages.All();
        var report = new AxeReport();
        foreach (var (route, why) in SweptPages.Unfillable()) report.Skip(route, why);
        // Four browser contexts at once: each renders in its own Chromium process, so a machine with cores to spare
        // sweeps in a quarter of the time.
        await Task.WhenAll(
            from signedIn in new[] { false, true }
            from scheme in new[] { ColorScheme.Light, ColorScheme.Dark }
            select SweepAsync(pages, signedIn, scheme, report));

        var summary = Artifacts.PathFor("axe-summary.md");
        await File.WriteAllTextAsync(summary, report.Markdown());
        output.WriteLine($"{pages.Count} addresses swept four ways in {clock.Elapsed.TotalSeconds:0} s ({report.Timings}); screenshots and {summary} in {Artifacts.Folder}");
        Assert.True(report.Blocking.Count == 0,
            $"{report.Blocking.Count} serious or critical accessibility violations (summary: {summary}):\n{string.Join("\n", report.Blocking)}");
    }

    async Task SweepAsync(IReadOnlyList<string> pages, bool signedIn, ColorScheme scheme, AxeReport report)
    {
        await using var scope = new BrowserHub.Scope();
        var page = await hub.PageAsync(scope, scheme: scheme);
        if (signedIn) await BrowserHub.SignInAsync(page, hub.AdminEmail);
        var variant = $"{(signedIn ? "admin" : "anonymous")}, {scheme.ToString().ToLowerInvariant()}";
        foreach (var url in pages)
        {
            var response = await report.TimeAsync("load", () => page.GotoAsync(url));
            if (response?.Headers.GetValueOrDefault("content-type")?.StartsWith("text/html", StringComparison.Ordinal) != true)
            {
                report.Skip(url, $"not a page ({response?.Headers.GetValueOrDefault("content-type") ?? "no answer"})");
                continue;
            }
            await report.TimeAsync("settle", () => SettledAsync(page));
            var landed = new Uri(page.Url).PathAndQuery;
            report.Add(landed == url ? url : $"{url} → {landed}", variant, response.Status, await report.TimeAsync("axe", () => page.RunAxe(Options)));
            await report.TimeAsync("screenshots", () => PhotographAsync(page, url, variant));
        }
    }

    static readonly AxeRunOptions Options = new() { ResultTypes = [ResultType.Violations] };

    /// <summary>
    /// The page as a reader sees it: the script's one request (/api/me) answered and applied (the header names a
    /// signed-in reader). Its `me` stays null until then; a page without the script has no `me` at all.
    /// </summary>
    static Task SettledAsync(IPage page) => page.WaitForFunctionAsync("() => typeof me === 'undefined' || me !== null");

    static async Task PhotographAsync(IPage page, string url, string variant)
    {
        var folder = Directory.CreateDirectory(Artifacts.PathFor(variant.Replace(", ", "-"))).FullName;
        foreach (var (width, height) in Sizes)
        {
            await page.SetViewportSizeAsync(width, height);
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"{Artifacts.Slug(url)}-{width}.png"), FullPage = true });
        }
        await page.SetViewportSizeAsync(Sizes[0].Width, Sizes[0].Height);
    }
}
