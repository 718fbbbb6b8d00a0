using System.Net.Http.Json;
using System.Text.RegularExpressions;
using DailyPapers.Digest;
using DailyPapers.Feed;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace DailyPapers.Tests.Digest;

/// <summary>A clock the test moves; everything else in the app is real.</summary>
public sealed class TestClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;
    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>The app wired to the shared smtp4dev, with helpers to subscribe, follow links and send digests.</summary>
public static partial class MailHarness
{
    public const string Site = "http://dailypapers.test";

    public static AppFactory App(Smtp4dev smtp, TestClock? clock = null)
    {
        var app = new AppFactory()
            .With("Mail:Host", "127.0.0.1").With("Mail:Port", smtp.SmtpPort.ToString()).With("Mail:Security", "none")
            .With("Mail:MaxPerSecond", "0").With("Digest:Schedule", "false").With("PublicUrl", Site);
        if (clock is not null) app.WithServices(s => s.AddSingleton<TimeProvider>(clock));
        return app;
    }

    public static string Address(string name) => $"{name}-{Guid.NewGuid():N}@example.org";

    public static Task<HttpResponseMessage> SubscribeAsync(HttpClient client, object body) => client.PostAsJsonAsync("/api/subscriptions", body);

    /// <summary>Subscribes, waits for the confirmation mail, follows its link; returns the mail.</summary>
    public static async Task<MimeMessage> SubscribeConfirmedAsync(HttpClient client, Smtp4dev smtp, object body, string email, int mailsBefore = 0)
    {
        (await SubscribeAsync(client, body)).EnsureSuccessStatusCode();
        var mails = await smtp.WaitForAsync(email, mailsBefore + 1);
        var confirmation = await smtp.ReadAsync(mails[^1].Id);
        var confirmed = await client.GetAsync(Link(confirmation, "/digest/confirm"));
        Assert.Equal(System.Net.HttpStatusCode.OK, confirmed.StatusCode);
        return confirmation;
    }

    /// <summary>The path and query of the first link to `path` in the mail's text part (as a reader would click it).</summary>
    public static string Link(MimeMessage mail, string path)
    {
        var match = Regex.Match(mail.TextBody ?? "", Regex.Escape(Site + path) + @"\?token=[A-Za-z0-9_\-%]+");
        Assert.True(match.Success, $"no {path} link in:\n{mail.TextBody}");
        return match.Value[Site.Length..];
    }

    public static async Task<SendReport> SendAsync(AppFactory app, string cadence, DateOnly date)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DigestComposer>().ComposeAndStoreAsync(cadence, DigestSchedule.PeriodOf(cadence, date));
        return await scope.ServiceProvider.GetRequiredService<Outbox>().SendDueAsync();
    }

    public static readonly DateOnly Day = new(2026, 8, 21);
}
