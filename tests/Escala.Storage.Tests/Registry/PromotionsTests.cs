using Escala.Core.Access;
using Escala.Core.Problems;
using Escala.Core.Registry;
using Escala.Storage.Tests.Support;

namespace Escala.Storage.Tests.Registry;

/// <summary>Stage changes and four-eyes approval (Core's rules) over the real SQLite stores.</summary>
public sealed class PromotionsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Principal Alice = StorageWorld.Key("alice", Role.Scientist, "risk");
    private static readonly Principal Bob = StorageWorld.Key("bob", Role.Approver, "risk");
    private static readonly Principal Carol = StorageWorld.Key("carol", Role.Approver);
    private static readonly Principal Hal = StorageWorld.Key("hal", Role.Approver, "hr");

    private static async Task<StorageWorld> WorldWithStagedVersionAsync(bool fourEyes = true)
    {
        var world = new StorageWorld();
        await world.DepartmentAsync("risk");
        await world.DepartmentAsync("hr");
        await world.RegisterAsync(Alice, "credit-risk", fourEyes: fourEyes);
        await world.Promotions.RequestAsync(Alice, "credit-risk", 1, Stage.Staging, null, Ct);
        return world;
    }

    [Fact]
    public async Task Request_Production_WithFourEyes_OpensARequestAndLeavesTheStage()
    {
        using var world = await WorldWithStagedVersionAsync();
        var outcome = await world.Promotions.RequestAsync(Alice, "credit-risk", 1, Stage.Production, "pilot done", Ct);
        Assert.True(outcome.IsPending);
        Assert.Equal(ApprovalStatus.Pending, outcome.PendingApproval!.Status);
        Assert.Equal((Stage.Staging, Stage.Production), (outcome.PendingApproval.From, outcome.PendingApproval.To));
        Assert.Equal(Stage.Staging, (await world.Registry.GetVersionAsync("credit-risk", "1", Ct)).Stage);
    }

    [Fact]
    public async Task Approve_ByTheRequestersKey_IsRefusedEvenForAnApprover()
    {
        using var world = await WorldWithStagedVersionAsync();
        var request = (await world.Promotions.RequestAsync(Bob, "credit-risk", 1, Stage.Production, null, Ct)).PendingApproval!;
        var e = await Assert.ThrowsAsync<ProblemException>(() => world.Promotions.ApproveAsync(Bob, request.Id, null, Ct));
        Assert.Equal(ProblemTypes.FourEyes, e.Type);
        Assert.Equal(Stage.Staging, (await world.Registry.GetVersionAsync("credit-risk", "1", Ct)).Stage);
        Assert.Equal(ApprovalStatus.Pending, (await world.Promotions.GetAsync(request.Id, Ct)).Status);
    }

    [Fact]
    public async Task Approve_ByASecondKey_MovesToProductionAndArchivesThePreviousOne()
    {
        using var world = await WorldWithStagedVersionAsync();
        var first = (await world.Promotions.RequestAsync(Alice, "credit-risk", 1, Stage.Production, null, Ct)).PendingApproval!;
        await world.Promotions.ApproveAsync(Bob, first.Id, "ok", Ct);
        Assert.Equal(Stage.Production, (await world.Registry.GetVersionAsync("credit-risk", "1", Ct)).Stage);

        await world.RegisterAsync(Alice, "credit-risk", text: "v2");
        await world.Promotions.RequestAsync(Alice, "credit-risk", 2, Stage.Staging, null, Ct);
        var second = (await world.Promotions.RequestAsync(Alice, "credit-risk", 2, Stage.Production, null, Ct)).PendingApproval!;
        var (decided, version) = await world.Promotions.ApproveAsync(Carol, second.Id, null, Ct);

        Assert.Equal(ApprovalStatus.Approved, decided.Status);
        Assert.Equal("carol", decided.DecidedByName);
        Assert.Equal(Stage.Production, version.Stage);
        Assert.Equal(Stage.Archived, (await world.Registry.GetVersionAsync("credit-risk", "1", Ct)).Stage);
        var stageChanges = (await world.AuditRecordsAsync()).Where(r => r.Action is "stage.change" or "approval.approve").Select(r => (r.Action, r.Subject)).ToList();
        Assert.Contains(("stage.change", "model/credit-risk/versions/1"), stageChanges);
        Assert.Equal(("approval.approve", "approval/2"), stageChanges[^3]);
    }

    [Fact]
    public async Task Approve_OutsideTheApproversDepartments_IsRefused()
    {
        using var world = await WorldWithStagedVersionAsync();
        var request = (await world.Promotions.RequestAsync(Alice, "credit-risk", 1, Stage.Production, null, Ct)).PendingApproval!;
        Assert.Equal(ProblemTypes.DepartmentScope, (await Assert.ThrowsAsync<ProblemException>(() => world.Promotions.ApproveAsync(Hal, request.Id, null, Ct))).Type);
    }

    [Fact]
    public async Task Request_SecondPendingForTheSameVersion_Conflicts()
    {
        using var world = await WorldWithStagedVersionAsync();
        await world.Promotions.RequestAsync(Alice, "credit-risk", 1, Stage.Production, null, Ct);
        var e = await Assert.ThrowsAsync<ProblemException>(() => world.Promotions.RequestAsync(Bob, "credit-risk", 1, Stage.Production, null, Ct));
        Assert.Equal(ProblemTypes.Conflict, e.Type);
        Assert.Contains("already has a pending approval request (1)", e.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approve_AfterTheVersionMoved_ConflictsAndChangesNothing()
    {
        using var world = await WorldWithStagedVersionAsync();
        var request = (await world.Promotions.RequestAsync(Alice, "credit-risk", 1, Stage.Production, null, Ct)).PendingApproval!;
        await world.Promotions.RequestAsync(Alice, "credit-risk", 1, Stage.Archived, "withdrawn", Ct);
        var e = await Assert.ThrowsAsync<ProblemException>(() => world.Promotions.ApproveAsync(Bob, request.Id, null, Ct));
        Assert.Equal(ProblemTypes.Conflict, e.Type);
        Assert.Equal(Stage.Archived, (await world.Registry.GetVersionAsync("credit-risk", "1", Ct)).Stage);
    }

    [Fact]
    public async Task Reject_ClosesTheRequest_AndItCannotBeDecidedAgain()
    {
        using var world = await WorldWithStagedVersionAsync();
        var request = (await world.Promotions.RequestAsync(Alice, "credit-risk", 1, Stage.Production, null, Ct)).PendingApproval!;
        var rejected = await world.Promotions.RejectAsync(Bob, request.Id, "metrics too weak", Ct);
        Assert.Equal(ApprovalStatus.Rejected, rejected.Status);
        Assert.Equal(Stage.Staging, (await world.Registry.GetVersionAsync("credit-risk", "1", Ct)).Stage);
        var again = await Assert.ThrowsAsync<ProblemException>(() => world.Promotions.ApproveAsync(Carol, request.Id, null, Ct));
        Assert.Contains("already rejected by bob", again.Detail, StringComparison.Ordinal);
        Assert.Single(await world.Promotions.ListAsync(ApprovalStatus.Rejected, "credit-risk", Ct));
        Assert.Empty(await world.Promotions.ListAsync(ApprovalStatus.Pending, null, Ct));
    }

    [Fact]
    public async Task WithoutFourEyes_ProductionIsDirect_ButOnlyForApprovers()
    {
        using var world = await WorldWithStagedVersionAsync(fourEyes: false);
        var e = await Assert.ThrowsAsync<ProblemException>(() => world.Promotions.RequestAsync(Alice, "credit-risk", 1, Stage.Production, null, Ct));
        Assert.Equal(ProblemTypes.InsufficientRole, e.Type);
        var outcome = await world.Promotions.RequestAsync(Bob, "credit-risk", 1, Stage.Production, null, Ct);
        Assert.False(outcome.IsPending);
        Assert.Equal(Stage.Production, (await world.Registry.GetVersionAsync("credit-risk", "1", Ct)).Stage);
    }

    [Fact]
    public async Task Request_IllegalTransition_IsRefusedWithoutAuditRecord()
    {
        using var world = new StorageWorld();
        await world.RegisterAsync(StorageWorld.Admin, "m");
        var before = (await world.AuditRecordsAsync()).Count;
        var e = await Assert.ThrowsAsync<ProblemException>(() => world.Promotions.RequestAsync(StorageWorld.Admin, "m", 1, Stage.Production, null, Ct));
        Assert.Equal(ProblemTypes.IllegalStageTransition, e.Type);
        Assert.Equal(before, (await world.AuditRecordsAsync()).Count);
    }
}
