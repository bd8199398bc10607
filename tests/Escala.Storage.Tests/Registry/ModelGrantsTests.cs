using Escala.Core.Access;
using Escala.Core.Problems;
using Escala.Core.Registry;
using Escala.Storage.Registry;
using Escala.Storage.Tests.Support;

namespace Escala.Storage.Tests.Registry;

public sealed class ModelGrantsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_grant_is_stored_with_its_audit_record_refused_twice_and_withdrawn_with_another()
    {
        using var world = new StorageWorld();
        await world.DepartmentAsync("risk");
        await world.DepartmentAsync("retail");
        await world.RegisterAsync(StorageWorld.Key("rita", Role.Scientist, "risk"), "risk-model");
        var grants = new ModelGrants(world.Models, new SqliteModelGrantStore(world.Database), world.Departments, world.Clock);
        var riskApprover = StorageWorld.Key("rob", Role.Approver, "risk");
        var retailOperator = StorageWorld.Key("otto", Role.Operator, "retail");

        var refused = await Assert.ThrowsAsync<ProblemException>(() => grants.RequireServeAsync(retailOperator, "risk-model", "retail", Ct));
        Assert.Equal(ProblemTypes.DepartmentScope, refused.Type);
        var outsider = await Assert.ThrowsAsync<ProblemException>(() => grants.GrantAsync(StorageWorld.Key("ray", Role.Approver, "retail"), "risk-model", "retail", Ct));
        Assert.Equal(ProblemTypes.DepartmentScope, outsider.Type);

        var grant = await grants.GrantAsync(riskApprover, "risk-model", "retail", Ct);
        Assert.Equal(("risk-model", "retail", "rob (rob-key)"), (grant.Model, grant.Department, grant.GrantedBy));
        await grants.RequireServeAsync(retailOperator, "risk-model", "retail", Ct);
        Assert.Equal([grant], await grants.ListAsync("risk-model", Ct));
        Assert.Equal(ProblemTypes.AlreadyExists, (await Assert.ThrowsAsync<ProblemException>(() => grants.GrantAsync(riskApprover, "risk-model", "retail", Ct))).Type);

        await grants.RevokeAsync(riskApprover, "risk-model", "retail", Ct);
        Assert.Empty(await grants.ListAsync("risk-model", Ct));
        Assert.Equal(ProblemTypes.NotFound, (await Assert.ThrowsAsync<ProblemException>(() => grants.RevokeAsync(riskApprover, "risk-model", "retail", Ct))).Type);
        var audit = await world.AuditRecordsAsync();
        Assert.Equal(["model.grant", "model.grant.revoke"], audit.Where(r => r.Subject.StartsWith("model/risk-model/grants", StringComparison.Ordinal)).Select(r => r.Action));
    }
}
