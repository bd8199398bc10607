using Escala.Core.Departments;
using Escala.Core.Problems;
using Escala.Storage.Tests.Support;

namespace Escala.Storage.Tests.Departments;

public sealed class DepartmentDirectoryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_ThenUpdate_KeepsUnchangedFieldsAndAuditsBoth()
    {
        using var world = new StorageWorld();
        await world.Org.CreateAsync(StorageWorld.Admin, "risk", new DepartmentChange("Credit Risk", 120, "Dana Ortiz"), Ct);
        world.Clock.Advance(TimeSpan.FromHours(1));
        var updated = await world.Org.UpdateAsync(StorageWorld.Admin, "risk", new DepartmentChange(null, 130, null), Ct);
        Assert.Equal(("Credit Risk", 130, "Dana Ortiz"), (updated.DisplayName, updated.Headcount, updated.Champion));
        Assert.Equal(updated.CreatedAt.AddHours(1), updated.UpdatedAt);
        Assert.Equal(updated, await world.Org.GetAsync("risk", Ct));
        var audit = await world.AuditRecordsAsync();
        Assert.Equal(["department.create", "department.update"], audit.Select(r => r.Action));
        Assert.Contains("\"headcount\":120", audit[1].Before, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_Twice_IsAlreadyExists_WithNoSecondRecord()
    {
        using var world = new StorageWorld();
        await world.Org.CreateAsync(StorageWorld.Admin, "risk", new DepartmentChange(null, 1, null), Ct);
        var e = await Assert.ThrowsAsync<ProblemException>(() => world.Org.CreateAsync(StorageWorld.Admin, "risk", new DepartmentChange(null, 2, null), Ct));
        Assert.Equal(ProblemTypes.AlreadyExists, e.Type);
        Assert.Single(await world.AuditRecordsAsync());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(10_000_001)]
    public async Task Create_ImpossibleHeadcount_IsRefused(int headcount)
    {
        using var world = new StorageWorld();
        await Assert.ThrowsAsync<ProblemException>(() => world.Org.CreateAsync(StorageWorld.Admin, "risk", new DepartmentChange(null, headcount, null), Ct));
        Assert.Empty(await world.Org.ListAsync(Ct));
    }
}
