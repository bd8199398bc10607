using Escala.Core.Access;
using Escala.Core.Problems;
using Escala.Storage.Tests.Support;

namespace Escala.Storage.Tests.Access;

public sealed class ApiKeyIssuerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Bootstrap_CreatesOneOrganisationWideAdmin_OnlyOnAnEmptyStore()
    {
        using var world = new StorageWorld();
        var first = await world.Issuer.BootstrapAsync(Ct);
        Assert.NotNull(first);
        Assert.Equal(Role.Admin, first.Key.Role);
        Assert.Empty(first.Key.Departments);
        Assert.Null(await world.Issuer.BootstrapAsync(Ct));
        var stored = Assert.Single(await world.Issuer.ListAsync(Ct));
        Assert.True(ApiKeySecret.Matches(first.Plaintext, stored.SecretHash));
        Assert.DoesNotContain(first.Plaintext, (await world.AuditRecordsAsync())[0].After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_CannotGrantMoreThanTheCallerHolds()
    {
        using var world = new StorageWorld();
        await world.DepartmentAsync("risk");
        await world.DepartmentAsync("hr");
        var riskLead = StorageWorld.Key("lead", Role.Operator, "risk");
        Assert.Equal(ProblemTypes.InsufficientRole, (await Assert.ThrowsAsync<ProblemException>(() => world.Issuer.CreateAsync(riskLead, "x", Role.Admin, ["risk"], Ct))).Type);
        Assert.Equal(ProblemTypes.DepartmentScope, (await Assert.ThrowsAsync<ProblemException>(() => world.Issuer.CreateAsync(riskLead, "x", Role.Viewer, ["hr"], Ct))).Type);
        Assert.Equal(ProblemTypes.DepartmentScope, (await Assert.ThrowsAsync<ProblemException>(() => world.Issuer.CreateAsync(riskLead, "x", Role.Viewer, [], Ct))).Type);
        Assert.Equal(ProblemTypes.ValidationFailed, (await Assert.ThrowsAsync<ProblemException>(() => world.Issuer.CreateAsync(StorageWorld.Admin, "x", Role.Viewer, ["finance"], Ct))).Type);
        var issued = await world.Issuer.CreateAsync(riskLead, "analyst", Role.Scientist, ["risk", "risk"], Ct);
        Assert.Equal(["risk"], issued.Key.Departments);
    }

    [Fact]
    public async Task Revoke_KeepsTheKeyForTheRecord_AndProtectsTheLastAdmin()
    {
        using var world = new StorageWorld();
        var bootstrap = (await world.Issuer.BootstrapAsync(Ct))!;
        var admin = bootstrap.Key.ToPrincipal();
        var e = await Assert.ThrowsAsync<ProblemException>(() => world.Issuer.RevokeAsync(admin, bootstrap.Key.Id, Ct));
        Assert.Contains("last organisation-wide admin key", e.Detail, StringComparison.Ordinal);

        var second = await world.Issuer.CreateAsync(admin, "second-admin", Role.Admin, [], Ct);
        var revoked = await world.Issuer.RevokeAsync(second.Key.ToPrincipal(), bootstrap.Key.Id, Ct);
        Assert.NotNull(revoked.RevokedAt);
        Assert.True((await world.Keys.FindAsync(bootstrap.Key.Id, Ct))!.IsRevoked);
        Assert.Equal(ProblemTypes.Conflict, (await Assert.ThrowsAsync<ProblemException>(() => world.Issuer.RevokeAsync(second.Key.ToPrincipal(), bootstrap.Key.Id, Ct))).Type);
        Assert.Equal(ProblemTypes.NotFound, (await Assert.ThrowsAsync<ProblemException>(() => world.Issuer.RevokeAsync(admin, "0000000000000000", Ct))).Type);
    }
}
