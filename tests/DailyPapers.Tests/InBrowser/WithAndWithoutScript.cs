using System.Reflection;
using Xunit.Sdk;

namespace DailyPapers.Tests.InBrowser;

/// <summary>
/// Runs a browser flow twice, with script (`script: true`) and without: every page must work without /site.js, and
/// every form posts either way. The test passes its `script` argument to BrowserHub.PageAsync.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class WithAndWithoutScriptAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[true], [false]];
}
