using Escala.Core.Access;
using Escala.Core.Problems;
using Escala.Core.Registry;
using Escala.Storage.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Escala.Storage.Tests.Registry;

/// <summary>The registry's rules (Core) over the real SQLite and file stores.</summary>
public sealed class ModelRegistryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Register_NumbersVersionsPerModel_AndCreatesTheModelOnce()
    {
        using var world = new StorageWorld();
        await world.DepartmentAsync("risk");
        var alice = StorageWorld.Key("alice", Role.Scientist, "risk");
        var v1 = await world.RegisterAsync(alice, "credit-risk", text: "a");
        var v2 = await world.RegisterAsync(alice, "credit-risk", text: "b");
        var other = await world.RegisterAsync(alice, "churn", text: "c");
        Assert.Equal((1, 2, 1), (v1.Version, v2.Version, other.Version));
        var model = await world.Registry.GetModelAsync("credit-risk", Ct);
        Assert.Equal("risk", model.Department);
        Assert.True(model.RequireApproval);
        var actions = (await world.AuditRecordsAsync()).Select(r => r.Action).ToList();
        Assert.Equal(2, actions.Count(a => a == "model.create"));
        Assert.Equal(3, actions.Count(a => a == "version.register"));
    }

    [Fact]
    public async Task Register_Concurrently_GivesDistinctNumbers()
    {
        using var world = new StorageWorld();
        var versions = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            Task.Run(() => world.RegisterAsync(StorageWorld.Admin, "busy", text: $"m{i}"))));
        Assert.Equal(Enumerable.Range(1, 12), versions.Select(v => v.Version).Order());
    }

    [Fact]
    public async Task Register_StoresMetadataAndArtifact_Verbatim()
    {
        using var world = new StorageWorld();
        var request = new RegistrationRequest(
            "credit-risk", Description: "v1", Metrics: System.Text.Json.JsonDocument.Parse("""{"auc":0.81}""").RootElement,
            Tags: new Dictionary<string, string> { ["team"] = "risk" }, DataFingerprint: "sha256:abc", CodeRevision: "git:1234", PipelineRun: "run-7");
        var version = await world.Registry.RegisterAsync(StorageWorld.Admin, request, StorageWorld.ModelBytes("x"), Ct);
        var stored = await world.Registry.GetVersionAsync("credit-risk", "1", Ct);
        Assert.Equal(0.81, stored.Metrics["auc"]);
        Assert.Equal("risk", stored.Tags["team"]);
        Assert.Equal(new Lineage("sha256:abc", "run-7", "git:1234", null), stored.Lineage);
        Assert.Equal("x", Assert.Single(stored.Signature!.Inputs).Name);
        var (_, bytes) = await world.Registry.LoadArtifactAsync("credit-risk", "1", Ct);
        Assert.Equal(StorageWorld.ModelBytes("x"), bytes);
        Assert.Equal(version.Artifact, stored.Artifact);
    }

    [Fact]
    public async Task Register_Refused_LeavesNoRowNoArtifactNoAuditRecord()
    {
        using var world = new StorageWorld();
        await world.RegisterAsync(StorageWorld.Admin, "credit-risk", text: "first");
        var before = (await world.AuditRecordsAsync()).Count;
        var files = world.ArtifactFiles();

        // A missing parent is found after the bytes are inspected, the last check before storing.
        var e = await Assert.ThrowsAsync<ProblemException>(() => world.RegisterAsync(StorageWorld.Admin, "credit-risk", parent: "credit-risk:9", text: "second"));
        Assert.Contains("credit-risk:9 does not exist", e.Detail, StringComparison.Ordinal);
        Assert.Equal(before, (await world.AuditRecordsAsync()).Count);
        Assert.Equal(files, world.ArtifactFiles());
        Assert.Single(await world.Registry.ListVersionsAsync("credit-risk", Ct));
    }

    [Fact]
    public async Task Versions_AreImmutableInTheDatabase()
    {
        using var world = new StorageWorld();
        await world.RegisterAsync(StorageWorld.Admin, "credit-risk");
        var e = await Assert.ThrowsAsync<SqliteException>(() => world.Database.WriteAsync(
            w => w.ExecuteAsync("UPDATE model_versions SET artifact_sha256 = 'x' WHERE model = 'credit-risk';"), Ct));
        Assert.Contains("immutable", e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<SqliteException>(() => world.Database.WriteAsync(w => w.ExecuteAsync("DELETE FROM model_versions;"), Ct));
    }

    [Fact]
    public async Task GetVersion_ByNumberAliasOrLatest()
    {
        using var world = new StorageWorld();
        await world.RegisterAsync(StorageWorld.Admin, "m", text: "1");
        await world.RegisterAsync(StorageWorld.Admin, "m", text: "2");
        await world.Registry.SetAliasAsync(StorageWorld.Admin, "m", "champion", 1, Ct);
        Assert.Equal(1, (await world.Registry.GetVersionAsync("m", "champion", Ct)).Version);
        Assert.Equal(2, (await world.Registry.GetVersionAsync("m", "latest", Ct)).Version);
        Assert.Equal(2, (await world.Registry.GetVersionAsync("m", "2", Ct)).Version);
        Assert.Equal(ProblemTypes.NotFound, (await Assert.ThrowsAsync<ProblemException>(() => world.Registry.GetVersionAsync("m", "3", Ct))).Type);
        Assert.Equal(ProblemTypes.NotFound, (await Assert.ThrowsAsync<ProblemException>(() => world.Registry.GetVersionAsync("m", "challenger", Ct))).Type);
        Assert.Equal(ProblemTypes.NotFound, (await Assert.ThrowsAsync<ProblemException>(() => world.Registry.GetVersionAsync("nope", "1", Ct))).Type);
    }

    [Theory]
    [InlineData("3", "is a number")]
    [InlineData("latest", "always means the highest")]
    [InlineData("bad/alias", "not valid")]
    public async Task SetAlias_ReservedOrInvalidNames_AreRefused(string alias, string reason)
    {
        using var world = new StorageWorld();
        await world.RegisterAsync(StorageWorld.Admin, "m");
        var e = await Assert.ThrowsAsync<ProblemException>(() => world.Registry.SetAliasAsync(StorageWorld.Admin, "m", alias, 1, Ct));
        Assert.Equal(ProblemTypes.InvalidName, e.Type);
        Assert.Contains(reason, e.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetAlias_MovesAndRemoves_WithAudit()
    {
        using var world = new StorageWorld();
        await world.RegisterAsync(StorageWorld.Admin, "m", text: "1");
        await world.RegisterAsync(StorageWorld.Admin, "m", text: "2");
        await world.Registry.SetAliasAsync(StorageWorld.Admin, "m", "champion", 1, Ct);
        await world.Registry.SetAliasAsync(StorageWorld.Admin, "m", "champion", 2, Ct);
        Assert.Equal(2, Assert.Single(await world.Registry.ListAliasesAsync("m", Ct)).Version);
        await world.Registry.RemoveAliasAsync(StorageWorld.Admin, "m", "champion", Ct);
        Assert.Empty(await world.Registry.ListAliasesAsync("m", Ct));
        var moved = (await world.AuditRecordsAsync()).Where(r => r.Subject == "model/m/aliases/champion").ToList();
        Assert.Equal(["alias.set", "alias.set", "alias.remove"], moved.Select(r => r.Action));
        Assert.Contains("\"version\":1", moved[1].Before, StringComparison.Ordinal);
        Assert.Contains("\"version\":2", moved[1].After, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ProblemException>(() => world.Registry.SetAliasAsync(StorageWorld.Admin, "m", "champion", 7, Ct));
    }

    [Fact]
    public async Task Lineage_IsQueryableBothWays()
    {
        using var world = new StorageWorld();
        await world.Registry.RegisterAsync(StorageWorld.Admin, new RegistrationRequest("m", DataFingerprint: "fp-1", PipelineRun: "run-1"), StorageWorld.ModelBytes("1"), Ct);
        await world.Registry.RegisterAsync(StorageWorld.Admin, new RegistrationRequest("m", DataFingerprint: "fp-2", Parent: "1"), StorageWorld.ModelBytes("2"), Ct);
        await world.Registry.RegisterAsync(StorageWorld.Admin, new RegistrationRequest("distilled", Parent: "m:2", PipelineRun: "run-1"), StorageWorld.ModelBytes("3"), Ct);

        var view = await world.Registry.GetLineageAsync("distilled", "1", Ct);
        Assert.Equal([new VersionRef("m", 2), new VersionRef("m", 1)], view.Ancestors);
        var children = await world.Registry.GetLineageAsync("m", "1", Ct);
        Assert.Equal([new VersionRef("m", 2)], children.Children);
        var byRun = await world.Registry.FindByLineageAsync(new LineageQuery(null, "run-1", null, null), Ct);
        Assert.Equal(["distilled:1", "m:1"], byRun.Select(v => v.Ref.ToString()).Order(StringComparer.Ordinal));
        var byData = await world.Registry.FindByLineageAsync(new LineageQuery("fp-2", null, null, null), Ct);
        Assert.Equal(2, Assert.Single(byData).Version);
        await Assert.ThrowsAsync<ProblemException>(() => world.Registry.FindByLineageAsync(new LineageQuery(null, null, null, null), Ct));
    }

    [Fact]
    public async Task DepartmentScope_KeysOnlyChangeTheirDepartmentsModels()
    {
        using var world = new StorageWorld();
        await world.DepartmentAsync("risk");
        await world.DepartmentAsync("hr");
        var alice = StorageWorld.Key("alice", Role.Scientist, "risk");
        var hal = StorageWorld.Key("hal", Role.Scientist, "hr");
        await world.RegisterAsync(alice, "credit-risk");

        Assert.Equal(ProblemTypes.DepartmentScope, (await Assert.ThrowsAsync<ProblemException>(() => world.RegisterAsync(hal, "credit-risk", text: "x"))).Type);
        Assert.Equal(ProblemTypes.DepartmentScope, (await Assert.ThrowsAsync<ProblemException>(() => world.RegisterAsync(alice, "attrition", department: "hr"))).Type);
        Assert.Equal(ProblemTypes.DepartmentScope, (await Assert.ThrowsAsync<ProblemException>(() => world.Registry.SetAliasAsync(hal, "credit-risk", "champion", 1, Ct))).Type);
        // An organisation-wide model (no department) can only be changed by organisation-wide keys.
        await world.RegisterAsync(StorageWorld.Admin, "shared");
        Assert.Equal(ProblemTypes.DepartmentScope, (await Assert.ThrowsAsync<ProblemException>(() => world.RegisterAsync(alice, "shared", text: "y"))).Type);
    }

    [Fact]
    public async Task UpdateModel_FourEyesAndDepartment_NeedAnAdmin()
    {
        using var world = new StorageWorld();
        await world.DepartmentAsync("risk");
        var lead = StorageWorld.Key("lead", Role.Operator, "risk");
        await world.RegisterAsync(lead, "credit-risk");
        Assert.Equal(ProblemTypes.InsufficientRole, (await Assert.ThrowsAsync<ProblemException>(() =>
            world.Registry.UpdateModelAsync(lead, "credit-risk", new ModelChange(RequireApproval: false), Ct))).Type);
        var described = await world.Registry.UpdateModelAsync(lead, "credit-risk", new ModelChange(Description: "PD model"), Ct);
        Assert.Equal("PD model", described.Description);
        var off = await world.Registry.UpdateModelAsync(StorageWorld.Admin, "credit-risk", new ModelChange(RequireApproval: false), Ct);
        Assert.False(off.RequireApproval);
        Assert.Equal("model.update", (await world.AuditRecordsAsync())[^1].Action);
    }

    [Fact]
    public async Task Card_GeneratedUntilWritten_ThenStoredAndAudited()
    {
        using var world = new StorageWorld();
        await world.RegisterAsync(StorageWorld.Admin, "m");
        var (_, generated, isGenerated) = await world.Registry.GetCardAsync("m", "1", Ct);
        Assert.True(isGenerated);
        Assert.Contains("## Intended use", generated.Markdown, StringComparison.Ordinal);
        await world.Registry.SetCardAsync(StorageWorld.Admin, "m", "1", "# m v1\n\nFor tests.", Ct);
        var (_, written, stillGenerated) = await world.Registry.GetCardAsync("m", "latest", Ct);
        Assert.False(stillGenerated);
        Assert.Equal("# m v1\n\nFor tests.", written.Markdown);
        Assert.Equal("card.set", (await world.AuditRecordsAsync())[^1].Action);
    }
}

/// <summary>A registration whose database write fails after its bytes were stored.</summary>
public sealed class FailedRegistrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task RefuseNewVersionsAsync(StorageWorld world) => world.Database.WriteAsync(w => w.ExecuteAsync(
        "CREATE TRIGGER refuse_versions BEFORE INSERT ON model_versions BEGIN SELECT RAISE(ABORT, 'disk full (simulated)'); END;"), Ct);

    [Fact]
    public async Task NewBytes_AreRemovedAgain()
    {
        using var world = new StorageWorld();
        await world.RegisterAsync(StorageWorld.Admin, "m", text: "kept");
        var files = world.ArtifactFiles();
        await RefuseNewVersionsAsync(world);
        await Assert.ThrowsAsync<SqliteException>(() => world.RegisterAsync(StorageWorld.Admin, "m", text: "new bytes"));
        Assert.Equal(files, world.ArtifactFiles());
        Assert.Single(await world.Registry.ListVersionsAsync("m", Ct));
    }

    [Fact]
    public async Task BytesAnotherVersionUses_AreKept()
    {
        using var world = new StorageWorld();
        var first = await world.RegisterAsync(StorageWorld.Admin, "m", text: "shared");
        await RefuseNewVersionsAsync(world);
        await Assert.ThrowsAsync<SqliteException>(() => world.RegisterAsync(StorageWorld.Admin, "m", text: "shared"));
        var (_, bytes) = await world.Registry.LoadArtifactAsync("m", "1", Ct);
        Assert.Equal(StorageWorld.ModelBytes("shared"), bytes);
        Assert.Equal(first.Artifact, (await world.Registry.GetVersionAsync("m", "1", Ct)).Artifact);
    }
}
