using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

/// <summary>
/// The baseline: Kestrel serving each route's own answer, fetched once from the app, as a static file
/// (UseStaticFiles, nothing else in the pipeline), in this process on the port after the app's.
/// What a route costs above this is the cost of building its answer.
/// </summary>
sealed class LoadStatic : IAsyncDisposable
{
    readonly WebApplication app;
    readonly string root;

    LoadStatic(WebApplication app, string root, Uri site) => (this.app, this.root, Site) = (app, root, site);

    public Uri Site { get; }

    public static async Task<LoadStatic> StartAsync(string root, int port)
    {
        Directory.CreateDirectory(root);
        var site = new Uri($"http://127.0.0.1:{port}");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = root, EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(site.ToString().TrimEnd('/'));
        var app = builder.Build();
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".rss"] = "application/rss+xml; charset=utf-8";
        types.Mappings[".atom"] = "application/atom+xml; charset=utf-8";
        types.Mappings[".html"] = "text/html; charset=utf-8";
        types.Mappings[".json"] = "application/json; charset=utf-8";
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(root), ContentTypeProvider = types });
        await app.StartAsync();
        return new LoadStatic(app, root, site);
    }

    /// <summary>
    /// Fetches the route's first path from the app (no Accept-Encoding, as wrk sends none) and writes the body as
    /// /{name}.{ext}; returns that path and the body's size, or the status when the app did not answer 200.
    /// </summary>
    public async Task<(string? Path, int Bytes, HttpStatusCode Status)> CopyAsync(HttpClient app, LoadRoute route)
    {
        using var response = await app.GetAsync(route.Paths[0]);
        var body = await response.Content.ReadAsByteArrayAsync();
        if (response.StatusCode != HttpStatusCode.OK) return (null, body.Length, response.StatusCode);
        var ext = response.Content.Headers.ContentType?.MediaType switch
        {
            "text/html" => "html",
            "application/json" => "json",
            "application/rss+xml" => "rss",
            "application/atom+xml" => "atom",
            _ => "bin",
        };
        var name = $"{route.Name}.{ext}";
        await File.WriteAllBytesAsync(System.IO.Path.Combine(root, name), body);
        return ("/" + name, body.Length, response.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
