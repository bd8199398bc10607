using System.Net;
using Escala.Core.Access;
using Escala.Core.Problems;
using Escala.Core.Registry;
using Escala.Server.Registry;
using Escala.Testing;

namespace Escala.Server.Tests.Registry;

public sealed class FourEyesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Production_NeedsASecondKey_TheRequesterCannotApprove()
    {
        await using var server = await EscalaTestServer.StartAsync();
        await server.CreateDepartmentAsync("risk");
        var alice = server.Client(await server.CreateKeyAsync("alice", Role.Scientist, "risk"));
        var bob = server.Client(await server.CreateKeyAsync("bob", Role.Approver, "risk"));
        var carol = server.Client(await server.CreateKeyAsync("carol", Role.Approver));
        var viewer = server.Client(await server.CreateKeyAsync("vic", Role.Viewer));

        await alice.RegisterOkAsync("credit-risk", TestModels.Logistic());
        (await alice.PostJsonAsync("api/v1/models/credit-risk/versions/1/stage", new StageChangeRequest("staging"))).EnsureSuccessStatusCode();

        var requested = await bob.PostJsonAsync("api/v1/models/credit-risk/versions/1/stage", new StageChangeRequest("production", "pilot ok"));
        Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
        Assert.Equal("/api/v1/approvals/1", requested.Headers.Location?.OriginalString);
        var pending = (await requested.ReadAsync<StageChangeResponse>()).Approval!;
        Assert.Equal(Stage.Staging, (await (await viewer.GetAsync("api/v1/models/credit-risk/versions/1", Ct)).ReadAsync<VersionResponse>()).Stage);

        await (await bob.PostJsonAsync($"api/v1/approvals/{pending.Id}/approve", new DecisionRequest("me"))).AssertProblemAsync(ProblemTypes.FourEyes);
        await (await viewer.PostJsonAsync($"api/v1/approvals/{pending.Id}/approve", new DecisionRequest())).AssertProblemAsync(ProblemTypes.InsufficientRole);
        await (await alice.PostJsonAsync($"api/v1/approvals/{pending.Id}/approve", new DecisionRequest())).AssertProblemAsync(ProblemTypes.InsufficientRole);
        Assert.Equal(ApprovalStatus.Pending, (await (await viewer.GetAsync($"api/v1/approvals/{pending.Id}", Ct)).ReadAsync<ApprovalRequest>()).Status);

        var approved = await (await carol.PostJsonAsync($"api/v1/approvals/{pending.Id}/approve", new DecisionRequest("reviewed"))).ReadAsync<ApprovalOutcomeResponse>();
        Assert.Equal(ApprovalStatus.Approved, approved.Request.Status);
        Assert.Equal("carol", approved.Request.DecidedByName);
        Assert.Equal(Stage.Production, approved.Version!.Stage);
        var listed = await (await viewer.GetAsync("api/v1/approvals?status=approved", Ct)).ReadAsync<ApprovalRequest[]>();
        Assert.Equal(pending.Id, Assert.Single(listed).Id);
        await (await viewer.GetAsync("api/v1/approvals?status=maybe", Ct)).AssertProblemAsync(ProblemTypes.ValidationFailed);
    }
}
