using System.Net.Http.Json;
using DailyPapers.Digest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DailyPapers.Tests.InBrowser;

[Collection("browser")]
public class DigestFlowTests(BrowserHub hub)
{
    static readonly DateOnly Day = new(2026, 8, 21);

    [Theory]
    [WithAndWithoutScript]
    public async Task ASubscriptionFromTheBoxAtopAListIsConfirmedByTheLinkInTheMail(bool script)
    {
        await using var scope = new BrowserHub.Scope();
        var page = await hub.PageAsync(scope, script);
        var email = Address("subscriber");
        await page.GotoAsync("/");

        var box = page.Locator("form.subscribe-box");
        await box.GetByLabel("Get trending papers in your email inbox").FillAsync(email);
        await box.GetByRole(AriaRole.Combobox, new() { Name = "How often" }).SelectOptionAsync("daily");
        await box.GetByRole(AriaRole.Button, new() { Name = "Subscribe" }).ClickAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("a confirmation link is on its way");

        var mail = await hub.Smtp.ReadAsync((await hub.Smtp.WaitForAsync(email))[0].Id);
        await page.GotoAsync(hub.MailLink(mail, "/digest/confirm"));
        await Expect(page.Locator("main h1")).ToHaveTextAsync("Subscribed");
        await Expect(page.Locator("main")).ToContainTextAsync($"Digests will come to {email} (daily)");
    }

    [Theory]
    [WithAndWithoutScript]
    public async Task TheUnsubscribeLinkInADigestStopsIt(bool script)
    {
        var email = Address("leaving");
        var digest = await ConfirmedDigestAsync(email);
        await using var scope = new BrowserHub.Scope();
        var page = await hub.PageAsync(scope, script);

        await page.GotoAsync(hub.MailLink(digest, "/digest/unsubscribe"));
        await Expect(page.Locator("main")).ToContainTextAsync($"Stop all digests to {email}?");
        await page.Locator("main").GetByRole(AriaRole.Button, new() { Name = "Unsubscribe" }).ClickAsync();
        await Expect(page.Locator("main h1")).ToHaveTextAsync("Unsubscribed");

        await page.GotoAsync(hub.MailLink(digest, "/digest/unsubscribe"));
        await Expect(page.Locator("main")).ToContainTextAsync($"{email} gets no more digests.");
    }

    /// <summary>
    /// A confirmed daily subscriber and their digest of 21 August, read back from smtp4dev. Subscribing through the
    /// page has its own test; here the API does it, and the digest is composed and sent as `digest send` does.
    /// </summary>
    async Task<MimeKit.MimeMessage> ConfirmedDigestAsync(string email)
    {
        using var http = new HttpClient { BaseAddress = new Uri(hub.BaseUrl) };
        (await http.PostAsJsonAsync("/api/subscriptions", new { email, cadence = Cadence.Daily })).EnsureSuccessStatusCode();
        var confirmation = await hub.Smtp.ReadAsync((await hub.Smtp.WaitForAsync(email))[0].Id);
        (await http.GetAsync(hub.MailLink(confirmation, "/digest/confirm"))).EnsureSuccessStatusCode();
        await using (var services = hub.App.Services.CreateAsyncScope())
        {
            await services.ServiceProvider.GetRequiredService<DigestComposer>().ComposeAndStoreAsync(Cadence.Daily, DigestSchedule.PeriodOf(Cadence.Daily, Day), only: email);
            await services.ServiceProvider.GetRequiredService<Outbox>().SendDueAsync();
        }
        var mails = await hub.Smtp.WaitForAsync(email, count: 2);
        return await hub.Smtp.ReadAsync(mails[^1].Id);
    }

    static string Address(string name) => $"{name}-{Guid.NewGuid():N}@example.org";
}
