using DailyPapers.Digest;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace DailyPapers.Tests.Digest;

/// <summary>`digest send | preview | status` as the real executable, and a sender killed mid-run.</summary>
[Collection("smtp")]
public class DigestCliTests(Smtp4dev smtp, ITestOutputHelper output)
{
    /// <summary>
    /// The CLI options of a state with the 2026-08-21 papers and `subscribers` confirmed daily subscribers, no server
    /// running: `--data` a copy of the app's folder (its SQLite file), and on PostgreSQL `--Database=` the app's
    /// database, kept after the app stops.
    /// </summary>
    static async Task<string[]> StateAsync(int subscribers, string domain)
    {
        await using var app = new AppFactory();
        await app.ImportAsync("hf/2026-08-21.jsonl");
        await app.WithDbAsync(async db =>
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            var now = DateTime.UtcNow;
            for (var i = 0; i < subscribers; i++)
                db.Subscriptions.Add(new Subscription { Email = $"reader{i:D5}@{domain}", Status = SubscriptionStatus.Confirmed, Cadence = Cadence.Daily, Count = 5, CreatedAt = now });
            await db.SaveChangesAsync();
            await tx.CommitAsync();
            return 0;
        });
        var copy = Directory.CreateTempSubdirectory("dailypapers-cli-").FullName;
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(app.DataDir)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        string[] options = [.. app.DataOptions.Skip(2), "--data", copy];
        app.KeepDatabase();
        return options;
    }

    string[] Smtp(params string[] args) =>
        [.. args, $"--Mail:Host=127.0.0.1", $"--Mail:Port={smtp.SmtpPort}", "--Mail:Security=none", "--Mail:MaxPerSecond=0", "--PublicUrl=http://dailypapers.test"];

    [Fact]
    public async Task DryRunWritesTheMailsAndStoresAndSendsNothing()
    {
        var domain = $"dry-{Guid.NewGuid():N}.example.org";
        var state = await StateAsync(3, domain);
        var data = state[^1];
        var (exit, stdout, stderr) = await Cli.RunAsync(Smtp(["digest", "send", "--dry-run", "--date", "2026-08-21", "--cadence", "daily", .. state]));
        Assert.True(exit == 0, stderr);
        Assert.Contains("dry run, nothing stored or sent: daily date=2026-08-21: 3 digests", stdout);
        Assert.Equal(3, Directory.GetFiles(Path.Combine(data, "outbox", "dry-run"), "*.eml").Length);
        Assert.Empty(await smtp.MessagesAsync().ContinueWith(t => t.Result.Where(m => m.To.Any(a => a.EndsWith(domain))).ToList()));
        var (_, status, _) = await Cli.RunAsync(["digest", "status", .. state]);
        Assert.Contains("subscriptions confirmed: 3", status);
        Assert.DoesNotContain("outbox digest", status);
    }

    [Fact]
    public async Task SendPreviewAndStatus()
    {
        var domain = $"cli-{Guid.NewGuid():N}.example.org";
        var state = await StateAsync(2, domain);
        var data = state[^1];
        var html = Path.Combine(data, "preview.html");
        var (exit, stdout, stderr) = await Cli.RunAsync(["digest", "preview", "--date", "2026-08-21", "--out", html, .. state]);
        Assert.True(exit == 0, stderr);
        Assert.Contains("EnvHarness", await File.ReadAllTextAsync(html));
        Assert.Contains("10 papers", stdout);
        // Links name the address the hub is served at, port included (--urls here; DAILYPAPERS_PUBLICURL when set).
        Assert.True((await Cli.RunAsync(["digest", "preview", "--date", "2026-08-21", "--out", html, .. state, "--urls", "http://localhost:5080"])).Exit == 0);
        Assert.Contains("href=\"http://localhost:5080/papers/2608.19880\"", await File.ReadAllTextAsync(html));

        (exit, stdout, stderr) = await Cli.RunAsync(Smtp(["digest", "send", "--date", "2026-08-21", "--to", $"reader00001@{domain}", .. state]));
        Assert.True(exit == 0, stderr + stdout);
        Assert.Contains("daily date=2026-08-21: 1 digests composed", stdout);
        Assert.Contains("outbox: 1 sent", stdout);
        await smtp.WaitForAsync($"reader00001@{domain}");
        Assert.Empty(await smtp.MessagesAsync($"reader00000@{domain}"));

        (_, stdout, _) = await Cli.RunAsync(["digest", "status", .. state]);
        Assert.Contains("outbox digest sent: 1", stdout);
    }

    [Theory]
    [InlineData("digest")]
    [InlineData("digest", "bogus")]
    [InlineData("digest", "send", "--to", "a@b.c\r\nBcc: x@y.z")]
    [InlineData("digest", "send", "--date", "yesterday")]
    [InlineData("digest", "send", "--cadence", "hourly")]
    public async Task BadUsageExits2(params string[] args)
    {
        var (exit, _, stderr) = await Cli.RunAsync([.. args, "--data", Directory.CreateTempSubdirectory("dailypapers-cli-").FullName]);
        Assert.Equal(2, exit);
        Assert.StartsWith("error:", stderr);
    }

    /// <summary>
    /// The issue's crash test: 2,000 confirmed subscribers, the sender killed with SIGKILL midway, then run again.
    /// Every subscriber must have the period's digest, once. The only possible duplicate is the one message the
    /// server had accepted when the process died, before "sent" was recorded; it carries the same Message-ID.
    /// </summary>
    [Fact]
    public async Task AKilledSenderRestartedDeliversEveryDigestOnce()
    {
        const int subscribers = 2_000;
        var domain = $"crash-{Guid.NewGuid():N}.example.org";
        var state = await StateAsync(subscribers, domain);
        string[] send = Smtp(["digest", "send", "--date", "2026-08-21", "--cadence", "daily", .. state, "--Mail:LeaseSeconds=0"]);
        int before;
        var baseline = await smtp.CountAsync(); // the collection runs one test at a time: nothing else arrives now
        using (var victim = Cli.Start(send))
        {
            before = await Eventually.Until(async () => await smtp.CountAsync() - baseline, n => n >= subscribers / 4 || victim.HasExited,
                $"the sender to hand over {subscribers / 4} mails", TimeSpan.FromMinutes(3));
            Assert.False(victim.HasExited, "the sender finished before it could be killed");
            victim.Kill(entireProcessTree: true);
            await victim.WaitForExitAsync();
        }
        var (exit, stdout, stderr) = await Cli.RunAsync(send);
        Assert.True(exit == 0, stderr + stdout);

        var mails = await Mine();
        var perRecipient = mails.GroupBy(m => m.To.Single()).ToDictionary(g => g.Key, g => g.ToList());
        var missing = subscribers - perRecipient.Count;
        var duplicates = mails.Count - perRecipient.Count;
        output.WriteLine($"killed after {before} accepted; in the end {mails.Count} mails, {perRecipient.Count} recipients, {missing} missing, {duplicates} duplicates");
        Assert.Equal(0, missing);
        Assert.InRange(duplicates, 0, 1);
        foreach (var twice in perRecipient.Values.Where(l => l.Count > 1))
        {
            var ids = await Task.WhenAll(twice.Select(async m => (await smtp.ReadAsync(m.Id)).MessageId));
            Assert.Single(ids.Distinct());
        }
        (_, stdout, _) = await Cli.RunAsync(["digest", "status", .. state]);
        Assert.Contains($"outbox digest sent: {subscribers}", stdout);

        async Task<List<Smtp4dev.Message>> Mine() => (await smtp.MessagesAsync()).Where(m => m.To.Any(a => a.EndsWith("@" + domain))).ToList();
    }
}
