using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace DailyPapers.Tests;

/// <summary>
/// A real SMTP server for the tests: smtp4dev (a dotnet tool, installed into .tools by test.sh, or here if missing),
/// started once on loopback ports the system picks (port 0) with an in-memory store, and read back through its REST API.
/// </summary>
public sealed class Smtp4dev : IAsyncLifetime
{
    Process? process;
    string? config;
    readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public int SmtpPort { get; private set; }

    public sealed record Message(string Id, string From, string[] To, string Subject, [property: JsonPropertyName("receivedDate")] DateTime Received);

    sealed record Page(List<Message> Results, int RowCount);

    public async Task InitializeAsync()
    {
        var tool = await ToolAsync();
        config = Directory.CreateTempSubdirectory("smtp4dev-").FullName;
        var start = new ProcessStartInfo(tool) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        // Port 0: the system hands out a free port as smtp4dev binds it, so no other process can take it in between,
        // and smtp4dev prints the ports it got. IMAP and POP3 are off: the tests read mail through the web API.
        foreach (var a in new[] { "--urls=http://127.0.0.1:0", "--smtpport=0", "--imapport=", "--pop3port=",
                     "--bindaddress=127.0.0.1", "--db=", "--nousersettings", "--disableipv6", "--messagestokeep=100000", "--sessionstokeep=10" })
            start.ArgumentList.Add(a);
        start.Environment["XDG_CONFIG_HOME"] = config;
        process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Read(e.Data);
        process.ErrorDataReceived += (_, e) => Read(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try { await Task.WhenAll(smtpPort.Task, webUrl.Task).WaitAsync(TimeSpan.FromSeconds(90)); }
        catch (TimeoutException) { throw new TimeoutException("smtp4dev printed no listening ports within 90 s:\n" + string.Join("\n", output)); }
        SmtpPort = await smtpPort.Task;
        http.BaseAddress = new Uri(await webUrl.Task + "/");
        await Until(async () => (await http.GetAsync("api/messages")).IsSuccessStatusCode, TimeSpan.FromSeconds(90), "smtp4dev's web API did not answer");
    }

    readonly TaskCompletionSource<int> smtpPort = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly TaskCompletionSource<string> webUrl = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly ConcurrentQueue<string> output = new(); // the last lines, for a failure message

    // "[INF] SMTP Server is listening on port 35325 (127.0.0.1) …" and Kestrel's "Now listening on: http://127.0.0.1:37181".
    void Read(string? line)
    {
        if (line is null) // a stream ended: smtp4dev exited; it cannot have started if it had not said so yet
        {
            var exited = new InvalidOperationException("smtp4dev exited before it was listening:\n" + string.Join("\n", output));
            smtpPort.TrySetException(exited);
            webUrl.TrySetException(exited);
            return;
        }
        output.Enqueue(line);
        while (output.Count > 40) output.TryDequeue(out _);
        if (Regex.Match(line, @"SMTP Server is listening on port (\d+)") is { Success: true } smtp) smtpPort.TrySetResult(int.Parse(smtp.Groups[1].Value));
        if (Regex.Match(line, @"Now listening on: (http://[^\s]+)") is { Success: true } web) webUrl.TrySetResult(web.Groups[1].Value.TrimEnd('/'));
    }

    public async Task<List<Message>> MessagesAsync(string? to = null)
    {
        var all = new List<Message>();
        for (var page = 1; ; page++)
        {
            var p = await http.GetFromJsonAsync<Page>($"api/messages?page={page}&pageSize=5000", Json);
            all.AddRange(p!.Results);
            if (p.Results.Count < 5000) break;
        }
        return to is null ? all : all.Where(m => m.To.Contains(to, StringComparer.OrdinalIgnoreCase)).ToList();
    }

    /// <summary>How many messages the server holds, all recipients: one cheap call, for polling.</summary>
    public async Task<int> CountAsync() => (await http.GetFromJsonAsync<Page>("api/messages?page=1&pageSize=1", Json))!.RowCount;

    /// <summary>Waits until `count` messages to an address have arrived (mail is asynchronous), then returns them.</summary>
    public async Task<List<Message>> WaitForAsync(string to, int count = 1, int seconds = 60)
    {
        List<Message> found = [];
        await Until(async () => (found = await MessagesAsync(to)).Count >= count, TimeSpan.FromSeconds(seconds), $"no {count} mail(s) to {to}");
        return found.OrderBy(m => m.Received).ToList();
    }

    /// <summary>The message as the server received it (RFC 5322 text); parse it with MimeKit.</summary>
    public async Task<MimeKit.MimeMessage> ReadAsync(string id)
    {
        await using var raw = await http.GetStreamAsync($"api/messages/{id}/raw");
        var buffer = new MemoryStream();
        await raw.CopyToAsync(buffer);
        buffer.Position = 0;
        return await MimeKit.MimeMessage.LoadAsync(buffer);
    }

    public async Task DisposeAsync()
    {
        if (process is { HasExited: false }) process.Kill(entireProcessTree: true);
        process?.Dispose();
        http.Dispose();
        try { if (config is not null) Directory.Delete(config, true); } catch (IOException) { }
    }

    static async Task Until(Func<Task<bool>> condition, TimeSpan timeout, string failure)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try { if (await condition()) return; }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (clock.Elapsed > timeout) throw new TimeoutException(failure);
            await Task.Delay(200);
        }
    }

    // test.sh installs the tool; a bare `dotnet test` installs it the same way on first use.
    static async Task<string> ToolAsync()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "DailyPapers.slnx"))) root = root.Parent;
        var tools = Path.Combine(root?.FullName ?? Path.GetTempPath(), ".tools");
        var tool = Path.Combine(tools, "smtp4dev");
        if (File.Exists(tool)) return tool;
        var install = Process.Start(new ProcessStartInfo("dotnet", $"tool install Rnwood.Smtp4dev --version 3.15.0 --tool-path \"{tools}\"") { UseShellExecute = false })!;
        try { await install.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5)); }
        catch (TimeoutException) { install.Kill(entireProcessTree: true); throw new TimeoutException("`dotnet tool install Rnwood.Smtp4dev` did not finish within 5 minutes"); }
        return File.Exists(tool) ? tool : throw new InvalidOperationException("could not install smtp4dev into " + tools);
    }

    static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);
}

[CollectionDefinition("smtp")]
public sealed class SmtpCollection : ICollectionFixture<Smtp4dev>;
