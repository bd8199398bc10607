using System.Net;
using System.Net.Http.Json;
using System.Text;
using Escala.Core.Access;
using Escala.Core.Problems;
using Escala.Server.Tests.Gateway;
using Escala.Testing;

namespace Escala.Server.Tests.Security;

/// <summary>What a hostile or careless caller tried (issue 8, items 3, 4, 6 and 11), through the real server.</summary>
public sealed class HardeningTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<HttpResponseMessage> PredictAsync(HttpClient client, string? department, string path = "v1/endpoints/credit/predict", string body = """{"records":[{"features":[1,2,3]}]}""")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(body) };
        if (department is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Escala-Department", department);
        }

        return await client.SendAsync(request, Ct);
    }

    [Fact]
    public async Task Only_keys_granted_a_department_may_name_it_it_must_exist_and_metrics_never_see_the_rest()
    {
        await using var host = await GatewayHost.StartAsync();
        await host.CreateDepartmentAsync("pilot");
        await Traffic.TwoVersionsAsync(host);
        await host.DeployAsync("credit", new { version = "credit:2", department = "pilot" });
        var orgViewer = host.Client(await host.Server.CreateKeyAsync("org-app", Role.Viewer));
        var pilotApp = host.Client(await host.Server.CreateKeyAsync("pilot-app", Role.Viewer, "pilot"));

        foreach (var spoofed in new[] { "pilot", "finance", "\u001b]0;pwned\u0007", "x\u001b[2J" })
        {
            await (await PredictAsync(orgViewer, spoofed)).AssertProblemAsync(ProblemTypes.DepartmentScope);
        }

        await (await PredictAsync(host.Admin, "no-such-department")).AssertProblemAsync(ProblemTypes.DepartmentScope, "There is no department");
        await (await PredictAsync(host.Admin, "\u001b[31mred")).AssertProblemAsync(ProblemTypes.DepartmentScope, "\\u001b[31mred");
        Assert.Equal("credit:2", (await GatewayHost.Ensure(await PredictAsync(pilotApp, "pilot"))).GetProperty("version").GetString());
        Assert.Equal("credit:2", (await GatewayHost.Ensure(await PredictAsync(host.Admin, "pilot"))).GetProperty("version").GetString());
        Assert.Equal("credit:1", (await GatewayHost.Ensure(await PredictAsync(orgViewer, null))).GetProperty("version").GetString());

        var metrics = await host.Admin.GetStringAsync("metrics", Ct);
        Assert.DoesNotContain("\u001b", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("finance", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("no-such-department", metrics, StringComparison.Ordinal);
        Assert.Contains("department=\"pilot\"", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Department_keys_read_only_their_own_lines_admins_only_their_departments_and_pinned_versions_honour_the_rollout()
    {
        await using var host = await GatewayHost.StartAsync();
        await host.CreateDepartmentAsync("pilot");
        await host.CreateDepartmentAsync("finance");
        await Traffic.TwoVersionsAsync(host);
        await host.DeployAsync("credit", new { version = "credit:2", department = "pilot" });
        var pilotApp = host.Client(await host.Server.CreateKeyAsync("pilot-app", Role.Viewer, "pilot"));
        var financeApp = host.Client(await host.Server.CreateKeyAsync("finance-app", Role.Viewer, "finance"));
        var financeScientist = host.Client(await host.Server.CreateKeyAsync("fiona", Role.Scientist, "finance"));
        for (var i = 0; i < 3; i++)
        {
            (await PredictAsync(pilotApp, null)).EnsureSuccessStatusCode();
            (await PredictAsync(financeApp, null)).EnsureSuccessStatusCode();
        }

        await Poll.UntilAsync(async () => (await host.GetAsync("api/v1/endpoints/credit/predictions?limit=100")).GetArrayLength() == 6,
            TimeSpan.FromSeconds(30), "six logged lines");
        var financeView = await GatewayHost.Ensure(await financeScientist.GetAsync("api/v1/endpoints/credit/predictions?limit=100", Ct));
        Assert.Equal(3, financeView.GetArrayLength());
        Assert.All(financeView.EnumerateArray(), l => Assert.Equal("finance", l.GetProperty("department").GetString()));

        // The per-version route honours the department rollout: credit:2 serves pilot only.
        await (await PredictAsync(financeApp, null, "v1/endpoints/credit/versions/2/predict")).AssertProblemAsync(ProblemTypes.NotDeployed, "not rolled out");
        await (await PredictAsync(financeApp, null, "v2/models/credit/versions/credit:2/infer",
            """{"inputs":[{"name":"features","shape":[1,3],"datatype":"FP32","data":[1,2,3]}]}""")).AssertProblemAsync(ProblemTypes.NotDeployed);
        (await PredictAsync(pilotApp, null, "v1/endpoints/credit/versions/2/predict")).EnsureSuccessStatusCode();

        // A department admin changes and sees its own departments only.
        var pilotAdmin = host.Client(await host.Server.CreateKeyAsync("pilot-admin", Role.Admin, "pilot"));
        await (await pilotAdmin.PatchAsJsonAsync("api/v1/departments/finance", new { headcount = 1 }, Ct)).AssertProblemAsync(ProblemTypes.DepartmentScope);
        await (await pilotAdmin.PostAsJsonAsync("api/v1/departments", new { name = "rogue" }, Ct)).AssertProblemAsync(ProblemTypes.DepartmentScope);
        (await pilotAdmin.PatchAsJsonAsync("api/v1/departments/pilot", new { headcount = 12 }, Ct)).EnsureSuccessStatusCode();
        var keys = (await GatewayHost.Ensure(await pilotAdmin.GetAsync("api/v1/keys", Ct))).EnumerateArray().Select(k => k.GetProperty("name").GetString()).ToArray();
        Assert.Equal(["pilot-admin", "pilot-app"], keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Keys_and_addresses_are_rate_limited_with_429_and_Retry_After_and_failed_keys_are_throttled_counted_and_logged()
    {
        await using var host = await GatewayHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["RateLimits:Endpoints:credit:PerSecond"] = "0.05",
            ["RateLimits:Endpoints:credit:Burst"] = "3",
            ["RateLimits:FailedAuthentication:PerSecond"] = "0.05",
            ["RateLimits:FailedAuthentication:Burst"] = "5",
        });
        await Traffic.TwoVersionsAsync(host);
        var app = host.Client(await host.Server.CreateKeyAsync("app", Role.Viewer));
        var other = host.Client(await host.Server.CreateKeyAsync("other-app", Role.Viewer));

        for (var i = 0; i < 3; i++)
        {
            (await PredictAsync(app, null)).EnsureSuccessStatusCode();
        }

        var limited = await PredictAsync(app, null);
        await limited.AssertProblemAsync(ProblemTypes.RateLimited, "'app'");
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), limited.Headers.RetryAfter?.ToString());
        (await PredictAsync(other, null)).EnsureSuccessStatusCode();
        (await app.GetAsync("api/v1/endpoints/credit", Ct)).EnsureSuccessStatusCode();

        var guesser = host.Client("esk_0123456789abcdef_not-a-real-secret");
        for (var i = 0; i < 5; i++)
        {
            await (await guesser.GetAsync("api/v1/whoami", Ct)).AssertProblemAsync(ProblemTypes.Unauthenticated);
        }

        var throttled = await guesser.GetAsync("api/v1/whoami", Ct);
        await throttled.AssertProblemAsync(ProblemTypes.RateLimited, "refused API key");
        Assert.NotNull(throttled.Headers.RetryAfter);
        var refusals = host.Server.Logs.Entries.Where(e => e.Message.StartsWith("API key refused", StringComparison.Ordinal)).Select(e => e.Message).ToArray();
        Assert.True(refusals.Contains("API key refused (unknown_or_revoked) from 127.0.0.1 for /api/v1/whoami, key id 0123456789abcdef"), string.Join("\n", refusals));
        var metrics = await host.Admin.GetStringAsync("metrics", Ct);
        Assert.True(metrics.Contains("escala_authentication_failures_total{reason=\"unknown_or_revoked\"}", StringComparison.Ordinal), string.Join("\n", metrics.Split('\n').Where(l => l.Contains("escala_a", StringComparison.Ordinal) || l.Contains("rate", StringComparison.Ordinal))));
        Assert.Contains("escala_rate_limit_rejections_total{limit=\"failed_authentication\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("escala_rate_limit_rejections_total{limit=\"key\"}", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_careless_clients_small_things_are_refused_with_problem_details()
    {
        await using var host = await GatewayHost.StartAsync();
        await Traffic.TwoVersionsAsync(host);
        var keysBefore = await host.Admin.GetStringAsync("api/v1/keys", Ct);

        // Duplicate keys, everywhere JSON is read.
        await (await host.Admin.PostAsync("api/v1/keys", Json("""{"name":"sneaky","role":"viewer","role":"admin"}"""), Ct)).AssertProblemAsync(ProblemTypes.ValidationFailed);
        await (await host.Admin.PostAsync("api/v1/keys", Json("""{"name":"sneaky","role":"viewer","Role":"admin"}"""), Ct)).AssertProblemAsync(ProblemTypes.ValidationFailed);
        Assert.Equal(keysBefore, await host.Admin.GetStringAsync("api/v1/keys", Ct));
        await (await PredictAsync(host.Admin, null, body: """{"records":[{"features":[1,2,3],"features":[9,9,9]}]}""")).AssertProblemAsync(ProblemTypes.ValidationFailed);
        await (await PredictAsync(host.Admin, null, "v2/models/credit/infer",
            """{"inputs":[{"name":"features","shape":[1,3],"datatype":"FP32","data":[1,2,3],"data":[9,9,9]}]}""")).AssertProblemAsync(ProblemTypes.ValidationFailed, "more than once");

        // Ragged nesting and numbers out of FP32's range.
        await (await PredictAsync(host.Admin, null, "v2/models/credit/infer",
            """{"inputs":[{"name":"features","shape":[3,3],"datatype":"FP32","data":[[1,2],[3,4,5,6],[7,8,9]]}]}""")).AssertProblemAsync(ProblemTypes.InvalidInput, "nested differently");
        (await PredictAsync(host.Admin, null, "v2/models/credit/infer",
            """{"inputs":[{"name":"features","shape":[2,3],"datatype":"FP32","data":[[1,2,3],[4,5,6]]}]}""")).EnsureSuccessStatusCode();
        await (await PredictAsync(host.Admin, null, body: """{"records":[{"features":[[1,2],[3]]}]}""")).AssertProblemAsync(ProblemTypes.InvalidInput, "ragged");
        await (await PredictAsync(host.Admin, null, "v2/models/credit/infer",
            """{"inputs":[{"name":"features","shape":[1,3],"datatype":"FP32","data":[1e39,2,3]}]}""")).AssertProblemAsync(ProblemTypes.InvalidInput, "out of range for FP32");
        await (await PredictAsync(host.Admin, null, body: """{"records":[{"features":[1e39,2,3]}]}""")).AssertProblemAsync(ProblemTypes.InvalidInput, "FP32");

        // Stored strings are capped; display names refuse bidirectional overrides.
        await (await PredictAsync(host.Admin, null, body: $$"""{"records":[{"features":[1,2,3]}],"subject":"{{new string('s', 3 * 1024 * 1024 / 4)}}"}""")).AssertProblemAsync(ProblemTypes.ValidationFailed, "subject");
        await (await host.Admin.PostAsJsonAsync("api/v1/departments", new { name = "legal", displayName = "Legal \u202Etxt.exe" }, Ct)).AssertProblemAsync(ProblemTypes.ValidationFailed, "U+202E");

        // Huge windows are a 400, not a 500.
        await (await host.Admin.GetAsync("api/v1/endpoints/credit/accuracy?window=99999999999h", Ct)).AssertProblemAsync(ProblemTypes.ValidationFailed, "too long");
        await (await host.Admin.GetAsync("api/v1/endpoints/credit/drift?window=99999999999h", Ct)).AssertProblemAsync(ProblemTypes.ValidationFailed, "too long");

        // No internal type names in details.
        var wrongType = await host.Admin.PostAsync("api/v1/endpoints/credit/deploy", Json("""{"version":"credit:2","percent":"lots"}"""), Ct);
        var detail = await wrongType.AssertProblemAsync(ProblemTypes.ValidationFailed);
        Assert.DoesNotContain("Escala.", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("DeployRequest", detail, StringComparison.Ordinal);

        // Kestrel's own limits come back as problem details.
        using var huge = new HttpRequestMessage(HttpMethod.Get, "api/v1/whoami");
        huge.Headers.TryAddWithoutValidation("X-Padding", new string('a', 64 * 1024));
        var tooLarge = await host.Admin.SendAsync(huge, Ct);
        Assert.Equal((HttpStatusCode)431, tooLarge.StatusCode);
        await tooLarge.AssertProblemAsync(ProblemTypes.HeadersTooLarge, "bytes");
    }
}
