using System.Net;
using System.Net.Http.Json;
using Escala.Core.Access;
using Escala.Core.Problems;
using Escala.Server.Registry;
using Escala.Testing;

namespace Escala.Server.Tests.Security;

/// <summary>Four-eyes on the data plane: a version serves only as much as its approved stage allows (issue 8, item 2).</summary>
public sealed class StageRuleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_version_serves_only_as_much_as_its_stage_allows_at_deploy_promote_fallback_and_every_canary_step()
    {
        await using var server = await EscalaTestServer.StartAsync(configure: b =>
            b.Configuration["Gateway:CanaryTick"] = "00:00:00.050");
        var admin = server.Admin();
        var carol = server.Client(await server.CreateKeyAsync("carol", Role.Approver));
        await admin.RegisterOkAsync("credit", TestModels.Logistic(seed: 1));
        await admin.RegisterOkAsync("credit", TestModels.Logistic(seed: 2));
        (await admin.PostJsonAsync("api/v1/endpoints", new { name = "credit" })).EnsureSuccessStatusCode();

        // Stage none: never all traffic, never a share, not even the fallback.
        await (await admin.PostJsonAsync("api/v1/endpoints/credit/deploy", new { version = "credit:1" }))
            .AssertProblemAsync(ProblemTypes.StageRule, "stage rule none=shadow");
        await (await admin.PutJsonAsync("api/v1/endpoints/credit/fallback", new { version = "credit:1" }))
            .AssertProblemAsync(ProblemTypes.StageRule, "none=shadow");

        // Staging: a share, never 100%.
        await StageAsync(admin, 1, "staging");
        await (await admin.PostJsonAsync("api/v1/endpoints/credit/deploy", new { version = "credit:1" }))
            .AssertProblemAsync(ProblemTypes.StageRule, "stage rule staging=partial");

        // Production, through four-eyes: now it may take everything.
        var request = await StageAsync(admin, 1, "production");
        Assert.Equal(HttpStatusCode.Accepted, request.StatusCode);
        (await carol.PostJsonAsync("api/v1/approvals/1/approve", new DecisionRequest("reviewed"))).EnsureSuccessStatusCode();
        (await admin.PostJsonAsync("api/v1/endpoints/credit/deploy", new { version = "credit:1" })).EnsureSuccessStatusCode();

        // Version 2 in stage none: a shadow only.
        await (await admin.PostJsonAsync("api/v1/endpoints/credit/deploy", new { version = "credit:2", strategy = "canary", steps = new[] { 10.0, 100 } }))
            .AssertProblemAsync(ProblemTypes.StageRule, "credit:2 is in stage none");
        await (await admin.PostJsonAsync("api/v1/endpoints/credit/deploy", new { version = "credit:2", strategy = "ab", percent = 50 }))
            .AssertProblemAsync(ProblemTypes.StageRule, "none=shadow");
        (await admin.PostJsonAsync("api/v1/endpoints/credit/deploy", new { version = "credit:2", strategy = "shadow" })).EnsureSuccessStatusCode();
        await (await admin.PostJsonAsync("api/v1/endpoints/credit/promote", new { })).AssertProblemAsync(ProblemTypes.StageRule, "none=shadow");
        (await admin.PostJsonAsync("api/v1/endpoints/credit/rollback", new { })).EnsureSuccessStatusCode();

        // In staging it may be a canary, but the step to 100% is refused, by command and by the timer.
        await StageAsync(admin, 2, "staging");
        (await admin.PostJsonAsync("api/v1/endpoints/credit/deploy", new { version = "credit:2", strategy = "canary", steps = new[] { 10.0, 100 } })).EnsureSuccessStatusCode();
        await (await admin.PostJsonAsync("api/v1/endpoints/credit/promote", new { })).AssertProblemAsync(ProblemTypes.StageRule, "staging=partial");
        (await admin.PostJsonAsync("api/v1/endpoints/credit/rollback", new { })).EnsureSuccessStatusCode();
        (await admin.PostJsonAsync("api/v1/endpoints/credit/deploy", new { version = "credit:2", strategy = "canary", steps = new[] { 10.0, 100 }, intervalSeconds = 0.1 })).EnsureSuccessStatusCode();
        await Poll.UntilAsync(() => server.Logs.Entries.Any(e => e.Message.Contains("Canary step of endpoint credit failed", StringComparison.Ordinal)
            && e.Message.Contains("staging=partial", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), "the timed step refused by the stage rule");
        var shown = await (await admin.GetAsync("api/v1/endpoints/credit", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("canary: 10% credit:2", shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stage_rules_are_per_endpoint_and_only_an_admin_changes_them()
    {
        await using var server = await EscalaTestServer.StartAsync();
        var admin = server.Admin();
        var olivia = server.Client(await server.CreateKeyAsync("olivia", Role.Operator));
        await admin.RegisterOkAsync("credit", TestModels.Logistic());
        (await olivia.PostJsonAsync("api/v1/endpoints", new { name = "sandbox" })).EnsureSuccessStatusCode();
        await (await olivia.PostJsonAsync("api/v1/endpoints", new { name = "mine", settings = new { stageRules = new { none = "full" } } }))
            .AssertProblemAsync(ProblemTypes.InsufficientRole, "stage rules");
        await (await olivia.PatchAsJsonAsync("api/v1/endpoints/sandbox/settings", new { stageRules = new { none = "full" } }, Ct))
            .AssertProblemAsync(ProblemTypes.InsufficientRole, "stage rules");
        await (await olivia.PostJsonAsync("api/v1/endpoints/sandbox/deploy", new { version = "credit:1" })).AssertProblemAsync(ProblemTypes.StageRule);

        (await admin.PatchAsJsonAsync("api/v1/endpoints/sandbox/settings", new { stageRules = new { none = "full" } }, Ct)).EnsureSuccessStatusCode();
        (await olivia.PostJsonAsync("api/v1/endpoints/sandbox/deploy", new { version = "credit:1" })).EnsureSuccessStatusCode();
        await (await admin.PatchAsJsonAsync("api/v1/endpoints/sandbox/settings", new { stageRules = new { none = "everything" } }, Ct))
            .AssertProblemAsync(ProblemTypes.ValidationFailed);
    }

    [Fact]
    public async Task The_key_that_registered_a_version_cannot_approve_its_promotion()
    {
        await using var server = await EscalaTestServer.StartAsync();
        var admin = server.Admin();
        var ann = server.Client(await server.CreateKeyAsync("ann", Role.Approver));
        var carol = server.Client(await server.CreateKeyAsync("carol", Role.Approver));
        await ann.RegisterOkAsync("credit", TestModels.Logistic());
        (await StageAsync(admin, 1, "staging")).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Accepted, (await StageAsync(admin, 1, "production", "credit")).StatusCode);

        await (await ann.PostJsonAsync("api/v1/approvals/1/approve", new DecisionRequest("mine, looks fine"))).AssertProblemAsync(ProblemTypes.FourEyes, "registered");
        (await carol.PostJsonAsync("api/v1/approvals/1/approve", new DecisionRequest("reviewed"))).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task An_operator_cannot_serve_another_departments_model_until_that_department_grants_it()
    {
        await using var server = await EscalaTestServer.StartAsync(configure: EscalaTestServer.UseRoutingOnlyStageRules);
        await server.CreateDepartmentAsync("risk");
        await server.CreateDepartmentAsync("retail");
        var riskScientist = server.Client(await server.CreateKeyAsync("rita", Role.Scientist, "risk"));
        var riskApprover = server.Client(await server.CreateKeyAsync("rob", Role.Approver, "risk"));
        var retailApprover = server.Client(await server.CreateKeyAsync("ray", Role.Approver, "retail"));
        var retailOperator = server.Client(await server.CreateKeyAsync("otto", Role.Operator, "retail"));
        await riskScientist.RegisterOkAsync("risk-model", TestModels.Logistic());
        (await retailOperator.PostJsonAsync("api/v1/endpoints", new { name = "branch", department = "retail" })).EnsureSuccessStatusCode();

        await (await retailOperator.PostJsonAsync("api/v1/endpoints/branch/deploy", new { version = "risk-model:1" }))
            .AssertProblemAsync(ProblemTypes.DepartmentScope, "not granted to 'retail'");
        await (await retailOperator.PutJsonAsync("api/v1/endpoints/branch/fallback", new { version = "risk-model:1" }))
            .AssertProblemAsync(ProblemTypes.DepartmentScope, "risk-model");

        // Only the owning department grants it.
        await (await retailApprover.PutJsonAsync("api/v1/models/risk-model/grants/retail", new { })).AssertProblemAsync(ProblemTypes.DepartmentScope);
        (await riskApprover.PutJsonAsync("api/v1/models/risk-model/grants/retail", new { })).EnsureSuccessStatusCode();
        (await retailOperator.PostJsonAsync("api/v1/endpoints/branch/deploy", new { version = "risk-model:1" })).EnsureSuccessStatusCode();
        var grants = await (await retailOperator.GetAsync("api/v1/models/risk-model/grants", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("\"department\":\"retail\"", grants, StringComparison.Ordinal);

        (await riskApprover.DeleteAsync("api/v1/models/risk-model/grants/retail", Ct)).EnsureSuccessStatusCode();
        await (await retailOperator.PostJsonAsync("api/v1/endpoints/branch/deploy", new { version = "risk-model:1", strategy = "shadow" }))
            .AssertProblemAsync(ProblemTypes.DepartmentScope);
        var audit = await (await server.Admin().GetAsync("api/v1/audit?subject=model/risk-model/grants", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("model.grant.revoke", audit, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> StageAsync(HttpClient client, int version, string stage, string model = "credit") =>
        client.PostJsonAsync($"api/v1/models/{model}/versions/{version}/stage", new StageChangeRequest(stage, "test"));
}
