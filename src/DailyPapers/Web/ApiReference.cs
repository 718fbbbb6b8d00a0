using System.Security.Cryptography;
using Scalar.AspNetCore;

namespace DailyPapers.Web;

/// <summary>
/// The browsable reference of /openapi/v1.json at /api/docs: Scalar's page, its script served by the app from the
/// package (no CDN), without the fonts, telemetry, AI agent and client button that would make a reader's browser
/// call scalar.com. Test requests go from the browser to this hub only.
/// </summary>
public static class ApiReference
{
    public const string Path = "/api/docs";

    public static void MapApiReference(this WebApplication app) =>
        app.MapScalarApiReference(Path, (o, context) =>
        {
            o.Title = "DailyPapers API";
            o.DefaultFonts = false;
            o.Telemetry = false;
            o.HideClientButton = true;
            o.DisableAgent();
            o.DisableMcp();
            o.HideDeveloperTools();
            // The page starts Scalar with one inline module script: it runs by a nonce made for this answer alone.
            var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            o.WithNonce(nonce);
            context.Response.Headers.ContentSecurityPolicy = Policy(nonce);
        }).AddEndpointFilter((invocation, next) =>
            // One document, v1: /api/docs/anything-else would draw a page for a document that does not exist.
            invocation.HttpContext.Request.RouteValues["documentName"] is null or "v1" ? next(invocation)
                : ValueTask.FromResult<object?>(Http.Error(404, $"the one API document is v1: {Path}/ or {Path}/v1")));

    /// <summary>
    /// The site's policy with two exceptions for this page only: its inline start-up script (by nonce), and inline
    /// styles, which Scalar's components set as they draw. Everything still comes from this site.
    /// </summary>
    public static string Policy(string nonce) =>
        SecurityHeaders.Policy.Replace("style-src 'self'", "style-src 'self' 'unsafe-inline'").Replace("script-src 'self'", $"script-src 'self' 'nonce-{nonce}'");
}
