using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using DailyPapers;
using DailyPapers.Data;
using DailyPapers.Digest;
using DailyPapers.Feed;
using DailyPapers.Search;
using MailKit.Net.Smtp;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Microsoft.Extensions.Logging;

/// <summary>
/// `digest [--sizes 10000,100000]`: compose and send personalised digests for N subscribers with topics, over the real
/// corpus (the embedded copy from search-quality) and the week that ended 2026-08-20 (its real papers). Topics come
/// from the real data: ai_keywords, categories, author names; each subscriber's topic vector is the real model's.
/// Mail goes to an SMTP sink in this process that accepts everything.
/// </summary>
static class DigestBench
{
    static readonly Period Week = Period.WeekOf(new DateOnly(2026, 8, 20));
    // Sending all 100,000 through SMTP would take minutes and say nothing new: throughput is measured on a sample.
    const int SendSample = 5_000;

    public static async Task<int> RunAsync(string file, IReadOnlyList<int> sizes)
    {
        await (await BenchHost.RealCorpusAsync(file)).DisposeAsync(); // the embedded real corpus, built once
        SqliteConnection.ClearAllPools();
        var vocabulary = Vocabulary.Load(file);
        await using var sink = new SmtpSink();
        var rows = new List<string[]>();
        var floor = await RawSendAsync(sink, 2_000);
        rows.Add(["baseline: raw MailKit send of one prebuilt message", "-", "-", $"{floor:F0}/s", "1.00x", "-"]);
        foreach (var n in sizes) rows.Add(await RunOneAsync(n, vocabulary, sink, floor));
        Console.WriteLine($"\ndigests for {Week.Query} ({Week.Title}), real papers, subscribers with real-vocabulary topics\n");
        Console.WriteLine("| run | compose | compose per 1,000 | send | vs raw send | peak working set |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var r in rows) Console.WriteLine("| " + string.Join(" | ", r) + " |");
        Console.WriteLine($"\ngoal: compose 100,000 personalised digests in <= 60 s. {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        return 0;
    }

    static async Task<string[]> RunOneAsync(int n, Vocabulary vocabulary, SmtpSink sink, double floor)
    {
        var dir = Directory.CreateTempSubdirectory("dailypapers-digest-bench-").FullName;
        // A copy of the embedded real corpus: the file on SQLite, a database made from it as a template on PostgreSQL.
        string? database = null;
        if (BenchHost.Postgres is null) File.Copy(Path.Combine(BenchHost.CacheDir("real"), "dailypapers.db"), Path.Combine(dir, "dailypapers.db"));
        else
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            database = BenchHost.Database($"digest-{n}", fresh: true, template: "dailypapers_bench_real_postgres");
        }
        var builder = WebApplication.CreateBuilder();
        foreach (var (k, v) in new Dictionary<string, string?>
                 {
                     ["DataDir"] = dir, ["LoadSample"] = "false", ["Search:BackgroundEmbedding"] = "false", ["Digest:Schedule"] = "false",
                     ["Mail:Host"] = "127.0.0.1", ["Mail:Port"] = sink.Port.ToString(), ["Mail:Security"] = "none", ["Mail:MaxPerSecond"] = "0",
                     ["PublicUrl"] = "https://papers.example.org", ["Database"] = database,
                 }) builder.Configuration[k] = v;
        builder.Logging.ClearProviders();
        builder.AddDailyPapers();
        await using var app = builder.Build();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DatabaseStartup>().EnsureSchemaAsync(migrate: true);
            await SubscribersAsync(scope.ServiceProvider, n, vocabulary);
        }
        GC.Collect();
        var clock = Stopwatch.StartNew();
        int composed;
        await using (var scope = app.Services.CreateAsyncScope())
            composed = await scope.ServiceProvider.GetRequiredService<DigestComposer>().ComposeAndStoreAsync(Cadence.Weekly, Week);
        var compose = clock.Elapsed.TotalSeconds;
        EngineBench.Emit("digest compose", n, compose);
        var matched = await CountMatchedAsync(app);
        Console.Error.WriteLine($"{n}: composed {composed} in {compose:F1} s ({matched} with topic matches)");
        clock.Restart();
        SendReport report;
        await using (var scope = app.Services.CreateAsyncScope())
            report = await scope.ServiceProvider.GetRequiredService<Outbox>().SendDueAsync(max: Math.Min(n, SendSample));
        var rate = report.Sent / clock.Elapsed.TotalSeconds;
        EngineBench.Emit("digest send", n, rate);
        Console.Error.WriteLine($"{n}: sent {report} in {clock.Elapsed.TotalSeconds:F1} s; the sink accepted {sink.Accepted}");
        var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1 << 20);
        await app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (database is not null) BenchHost.DropDatabase(database);
        Directory.Delete(dir, true);
        return [$"{n:N0} subscribers ({matched:N0} with matches)", $"{compose:F1} s", $"{compose * 1000 / n * 1000:F0} ms",
            $"{rate:F0}/s ({report.Sent:N0} sent)", $"{rate / floor:F2}x", $"{peak:N0} MiB"];
    }

    static async Task<int> CountMatchedAsync(WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDb>().Outbox.CountAsync(m => m.Matched > 0);
    }

    /// <summary>
    /// n confirmed weekly subscribers. 70% have topics: 1-3 keywords, 0-2 categories, sometimes an author or a query.
    /// Topic vectors are embedded for a pool of 2,000 topic texts and shared, as real subscribers share interests.
    /// </summary>
    static async Task SubscribersAsync(IServiceProvider services, int n, Vocabulary v)
    {
        var clock = Stopwatch.StartNew();
        var random = new Random(7);
        var embedder = services.GetRequiredService<Embedder>();
        var pool = Enumerable.Range(0, 2_000).Select(_ => v.RandomTopics(random)).ToList();
        var vectors = pool.Select(t => t.SemanticText is { } s ? Embeddings.ToBytes(embedder.EmbedQuery(s)) : null).ToList();
        Console.Error.WriteLine($"{n}: embedded {pool.Count} topic texts in {clock.Elapsed.TotalSeconds:F1} s");
        var db = services.GetRequiredService<AppDb>();
        await using var tx = await db.Database.BeginTransactionAsync();
        await using var insert = db.Database.GetDbConnection().CreateCommand();
        insert.Transaction = Microsoft.EntityFrameworkCore.Storage.DbContextTransactionExtensions.GetDbTransaction(tx);
        insert.CommandText = "INSERT INTO subscriptions (email, status, cadence, topics_json, topic_vector, count, created_at) VALUES (@e, 'confirmed', 'weekly', @t, @v, 10, '2026-08-01 00:00:00')";
        var (e, t, vec) = (insert.CreateParameter(), insert.CreateParameter(), insert.CreateParameter());
        (e.ParameterName, t.ParameterName, vec.ParameterName) = ("@e", "@t", "@v"); // both drivers read @name
        insert.Parameters.Add(e); insert.Parameters.Add(t); insert.Parameters.Add(vec);
        for (var i = 0; i < n; i++)
        {
            var k = random.Next(10) < 7 ? random.Next(pool.Count) : -1;
            (e.Value, t.Value, vec.Value) = ($"reader{i}@bench.example.org", k < 0 ? "{}" : pool[k].ToJson(), k < 0 ? DBNull.Value : (object?)vectors[k] ?? DBNull.Value);
            await insert.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
    }

    // The floor: MailKit sending the same prebuilt message over one connection, nothing else.
    static async Task<double> RawSendAsync(SmtpSink sink, int count)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("bench@example.org"));
        message.To.Add(MailboxAddress.Parse("reader@example.org"));
        message.Subject = "raw";
        message.Body = new BodyBuilder { TextBody = new string('x', 4_000), HtmlBody = "<p>" + new string('x', 12_000) + "</p>" }.ToMessageBody();
        using var client = new SmtpClient();
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync("127.0.0.1", sink.Port);
        await client.ConnectAsync(socket, "127.0.0.1", sink.Port, MailKit.Security.SecureSocketOptions.None);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++) await client.SendAsync(message);
        var rate = count / clock.Elapsed.TotalSeconds;
        await client.DisconnectAsync(true);
        return rate;
    }

    sealed class Vocabulary(List<string> keywords, List<string> authors)
    {
        static readonly string[] Categories = ["cs.CL", "cs.CV", "cs.LG", "cs.AI", "cs.RO", "cs.IR", "cs.SD", "stat.ML", "cs", "eess.IV"];
        static readonly string[] Queries = ["diffusion -survey", "title:agents", "\"reinforcement learning\" reasoning", "video generation", "benchmark llm"];

        public static Vocabulary Load(string file)
        {
            var keywords = new Dictionary<string, int>();
            var authors = new HashSet<string>();
            foreach (var line in File.ReadLines(file))
            {
                using var doc = JsonDocument.Parse(line);
                var paper = doc.RootElement.GetProperty("paper");
                if (paper.TryGetProperty("ai_keywords", out var k) && k.ValueKind == JsonValueKind.Array)
                    foreach (var w in k.EnumerateArray().Select(x => x.GetString()).OfType<string>()) keywords[w] = keywords.GetValueOrDefault(w) + 1;
                if (authors.Count < 5_000 && paper.TryGetProperty("authors", out var a) && a.GetArrayLength() > 0)
                    authors.Add(a[0].GetProperty("name").GetString() ?? "");
            }
            // The 3,000 most common keywords: what people would actually follow.
            return new Vocabulary(keywords.OrderByDescending(x => x.Value).Take(3_000).Select(x => x.Key).Where(x => x.Length <= 64).ToList(), authors.Where(a => a.Length is > 0 and <= 100).ToList());
        }

        public Topics RandomTopics(Random r) => new(
            Enumerable.Range(0, r.Next(3)).Select(_ => Categories[r.Next(Categories.Length)]).Distinct().ToList(),
            Enumerable.Range(0, 1 + r.Next(3)).Select(_ => keywords[r.Next(keywords.Count)]).Distinct().ToList(),
            r.Next(10) == 0 ? Queries[r.Next(Queries.Length)] : null,
            r.Next(10) == 0 ? [authors[r.Next(authors.Count)]] : []);
    }
}

/// <summary>An SMTP server that accepts and discards everything, as fast as it can read.</summary>
sealed class SmtpSink : IAsyncDisposable
{
    readonly TcpListener listener = new(IPAddress.Loopback, 0);
    readonly CancellationTokenSource stop = new();
    public int Accepted;

    public SmtpSink()
    {
        listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            try { _ = ServeAsync(await listener.AcceptTcpClientAsync(stop.Token)); }
            catch (OperationCanceledException) { return; }
        }
    }

    async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        client.NoDelay = true;
        var stream = client.GetStream();
        var reader = new StreamReader(stream, Encoding.ASCII);
        var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        try
        {
            await writer.WriteLineAsync("220 sink ESMTP");
            while (await reader.ReadLineAsync(stop.Token) is { } line)
            {
                var verb = line.Length >= 4 ? line[..4].ToUpperInvariant() : line;
                if (verb == "DATA")
                {
                    await writer.WriteLineAsync("354 go ahead");
                    while (await reader.ReadLineAsync(stop.Token) is { } data && data != ".") { }
                    Interlocked.Increment(ref Accepted);
                    await writer.WriteLineAsync("250 queued");
                }
                else if (verb == "QUIT") { await writer.WriteLineAsync("221 bye"); return; }
                else await writer.WriteLineAsync(verb is "EHLO" or "HELO" ? "250 sink" : "250 OK");
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
    }
}
