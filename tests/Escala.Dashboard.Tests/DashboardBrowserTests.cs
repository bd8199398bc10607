using System.Net.Http.Json;
using Escala.Core.Access;
using Escala.Server.Registry;
using Escala.Testing;
using Microsoft.Playwright;

namespace Escala.Dashboard.Tests;

/// <summary>
/// The dashboard in Debian's chromium driven by Playwright, against a real server: sign in, visit every page, watch the
/// live chart move after traffic, approve as an approver, be refused as a viewer, roll back a canary, sign out.
/// Screenshots of each page go to the test output's <c>screenshots/</c> folder.
/// </summary>
public sealed class DashboardBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Shots => Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    [Fact]
    public async Task The_whole_story_in_a_browser()
    {
        if (!File.Exists(Chromium))
        {
            Assert.Skip($"{Chromium} is not installed; `apt-get install -y chromium` enables the browser tests (.ci/run does).");
        }

        await using var server = await EscalaTestServer.StartAsync(configure: EscalaTestServer.UseRoutingOnlyStageRules);
        var (approverKey, viewerKey, approval) = await StoryAsync(server);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });

        // An operator (the admin) signs in and sees every page.
        var admin = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 }, TimezoneId = "Europe/Madrid" });
        await SignInAsync(admin, server, server.AdminKey);
        await Expect(admin.Locator("h1")).ToHaveTextAsync("Overview");
        await Assertions.Expect(admin.Locator("table").First).ToContainTextAsync("credit-risk");
        await ShotAsync(admin, "overview");
        foreach (var (link, heading, shot) in new[] { ("Models", "Models", "models"), ("Monitoring", "Monitoring", "monitoring"), ("Audit", "Audit log", "audit") })
        {
            await admin.GetByRole(AriaRole.Link, new() { Name = link, Exact = true }).ClickAsync();
            await Expect(admin.Locator("h1")).ToHaveTextAsync(heading);
            await ShotAsync(admin, shot);
        }

        await admin.GotoAsync(server.Url + "/models/credit-risk?version=2");
        await Assertions.Expect(admin.Locator("article.card-md")).ToContainTextAsync("Intended use");
        await ShotAsync(admin, "model");
        // Times are shown in the viewer's zone (the page says UTC without script).
        Assert.DoesNotContain(" UTC", await admin.Locator("main table time").First.TextContentAsync() ?? " UTC", StringComparison.Ordinal);

        // The live chart moves after traffic.
        await admin.GotoAsync(server.Url + "/endpoints/credit-risk");
        var live = admin.Locator(".live .live-summary");
        await Assertions.Expect(admin.Locator(".live[data-state=live]")).ToHaveCountAsync(1);
        var traffic = server.Admin();
        for (var i = 0; i < 40; i++)
        {
            (await traffic.PostAsJsonAsync("v1/endpoints/credit-risk/predict", new { records = new[] { new { x = new[] { 1f, 2f, 3f } } } }, Ct)).EnsureSuccessStatusCode();
        }

        await Assertions.Expect(live).Not.ToHaveAttributeAsync("data-requests", "0", new() { Timeout = 15_000 });
        await Assertions.Expect(admin.Locator(".live svg path").First).ToBeVisibleAsync();
        await ShotAsync(admin, "endpoint");

        // A viewer sees no action and is refused when acting anyway.
        var viewer = await browser.NewPageAsync();
        await SignInAsync(viewer, server, viewerKey);
        await viewer.GotoAsync(server.Url + "/models");
        await Assertions.Expect(viewer.GetByRole(AriaRole.Button, new() { Name = $"Approve #{approval}" })).ToHaveCountAsync(0);
        await Assertions.Expect(viewer.GetByRole(AriaRole.Link, new() { Name = "Audit", Exact = true })).ToHaveCountAsync(0);
        var refused = await viewer.GotoAsync(server.Url + "/audit");
        Assert.Equal(403, refused!.Status);
        await Assertions.Expect(viewer.Locator("main")).ToContainTextAsync("needs the approver role");
        await ShotAsync(viewer, "viewer-refused");

        // The approver approves from the queue.
        var approver = await browser.NewPageAsync();
        await SignInAsync(approver, server, approverKey);
        await approver.GotoAsync(server.Url + "/models");
        await approver.GetByLabel($"Comment on request {approval}").FillAsync("Card and metrics reviewed.");
        await approver.GetByRole(AriaRole.Button, new() { Name = $"Approve #{approval}" }).ClickAsync();
        await Assertions.Expect(approver.GetByRole(AriaRole.Status)).ToContainTextAsync("is in production");

        // The operator rolls the canary back.
        await admin.GotoAsync(server.Url + "/endpoints/credit-risk");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Roll back" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Status)).ToBeVisibleAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Button, new() { Name = "Roll back" })).ToHaveCountAsync(0);
        var endpoint = await server.Admin().GetFromJsonAsync<System.Text.Json.JsonElement>("api/v1/endpoints/credit-risk", Ct);
        Assert.DoesNotContain("canary", endpoint.GetProperty("routing").GetProperty("default").GetString(), StringComparison.Ordinal);

        // Sign out: the session is gone.
        await admin.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(admin.Locator("h1")).ToHaveTextAsync("Sign in to Escala");
        await admin.GotoAsync(server.Url + "/models");
        Assert.StartsWith(server.Url + "/sign-in", admin.Url, StringComparison.Ordinal);
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private static async Task SignInAsync(IPage page, EscalaTestServer server, string key)
    {
        await page.GotoAsync(server.Url + "/");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Sign in to Escala");
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByLabel("API key").PressAsync("Enter");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Overview");
    }

    private static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(Shots, name + ".png"), FullPage = true });

    // Two versions of credit-risk, v1 serving and v2 as a canary; v2 asked for production by bob, waiting for carol.
    private static async Task<(string Approver, string Viewer, long Approval)> StoryAsync(EscalaTestServer server)
    {
        var alice = server.Client(await server.CreateKeyAsync("alice", Role.Scientist));
        var bob = server.Client(await server.CreateKeyAsync("bob", Role.Approver));
        var carol = await server.CreateKeyAsync("carol", Role.Approver);
        var vic = await server.CreateKeyAsync("vic", Role.Viewer);
        await alice.RegisterOkAsync("credit-risk", TestModels.Logistic(seed: 1));
        await alice.RegisterOkAsync("credit-risk", TestModels.Logistic(seed: 2));
        var admin = server.Admin();
        (await admin.PostAsJsonAsync("api/v1/endpoints", new { name = "credit-risk", description = "Default risk of credit applications" }, Ct)).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("api/v1/endpoints/credit-risk/deploy", new { version = "credit-risk:1" }, Ct)).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("api/v1/endpoints/credit-risk/deploy", new { version = "credit-risk:2", strategy = "canary", steps = new[] { 25.0, 50.0, 100.0 } }, Ct)).EnsureSuccessStatusCode();
        (await alice.PostJsonAsync("api/v1/models/credit-risk/versions/2/stage", new StageChangeRequest("staging"))).EnsureSuccessStatusCode();
        var requested = await bob.PostJsonAsync("api/v1/models/credit-risk/versions/2/stage", new StageChangeRequest("production", "canary looks healthy"));
        return (carol, vic, (await requested.ReadAsync<StageChangeResponse>()).Approval!.Id);
    }
}
