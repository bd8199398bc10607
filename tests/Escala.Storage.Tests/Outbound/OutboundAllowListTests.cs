using Escala.Core.Access;
using Escala.Core.Outbound;
using Escala.Core.Problems;
using Escala.Storage.Outbound;
using Escala.Storage.Tests.Support;

namespace Escala.Storage.Tests.Outbound;

public sealed class OutboundAllowListTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Hosts_are_listed_by_organisation_admins_with_audit_and_urls_are_checked_against_them()
    {
        using var world = new StorageWorld();
        var list = new OutboundAllowList(new SqliteOutboundHostStore(world.Database), world.Clock, ["fixed.internal"]);
        var backend = new Uri("http://triton.internal:8000/");

        Assert.Equal(ProblemTypes.HostNotAllowed, (await Assert.ThrowsAsync<ProblemException>(() => list.RequireAllowedAsync(backend, "backend", "URL", Ct))).Type);
        await list.RequireAllowedAsync(new Uri("https://fixed.internal/v2"), "webhook", "URL", Ct);
        Assert.Equal(ProblemTypes.InsufficientRole,
            (await Assert.ThrowsAsync<ProblemException>(() => list.AddAsync(StorageWorld.Key("dept-admin", Role.Admin, "risk"), "triton.internal", "backend", Ct))).Type);

        await list.AddAsync(StorageWorld.Admin, "Triton.Internal", "backend", Ct);
        await list.RequireAllowedAsync(backend, "backend", "URL", Ct);
        Assert.Equal(ProblemTypes.HostNotAllowed, (await Assert.ThrowsAsync<ProblemException>(() => list.RequireAllowedAsync(backend, "webhook", "URL", Ct))).Type);
        Assert.Equal(ProblemTypes.ValidationFailed,
            (await Assert.ThrowsAsync<ProblemException>(() => list.RequireAllowedAsync(new Uri("http://user:pw@triton.internal/"), "backend", "URL", Ct))).Type);
        Assert.Equal(ProblemTypes.ValidationFailed,
            (await Assert.ThrowsAsync<ProblemException>(() => list.RequireAllowedAsync(new Uri("http://triton.internal/?token=x"), "backend", "URL", Ct))).Type);
        Assert.Equal(ProblemTypes.AlreadyExists, (await Assert.ThrowsAsync<ProblemException>(() => list.AddAsync(StorageWorld.Admin, "triton.internal", null, Ct))).Type);

        await list.RemoveAsync(StorageWorld.Admin, "triton.internal", Ct);
        Assert.Empty(await list.ListAsync(Ct));
        Assert.Equal(["outbound-host.add", "outbound-host.remove"], (await world.AuditRecordsAsync()).Select(r => r.Action));
    }
}
