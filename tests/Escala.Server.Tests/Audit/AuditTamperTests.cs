using Escala.Core.Audit;
using Escala.Core.Problems;
using Escala.Testing;

namespace Escala.Server.Tests.Audit;

public sealed class AuditTamperTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Verify_AfterEveryKindOfChange_IsIntact()
    {
        await using var server = await EscalaTestServer.StartAsync();
        await server.CreateDepartmentAsync("risk");
        var admin = server.Admin();
        await admin.RegisterOkAsync("m", TestModels.Logistic());
        (await admin.PostJsonAsync("api/v1/models/m/versions/1/stage", new Escala.Server.Registry.StageChangeRequest("staging"))).EnsureSuccessStatusCode();
        var result = await (await admin.GetAsync("api/v1/audit/verify", Ct)).ReadAsync<AuditVerification>();
        Assert.True(result.IsIntact);
        var records = await (await admin.GetAsync("api/v1/audit?limit=1000", Ct)).ReadAsync<AuditRecord[]>();
        Assert.Equal(records.Length, result.RecordsChecked);
        Assert.Equal(["key.create", "department.create", "model.create", "version.register", "stage.change"], records.Select(r => r.Action));
        Assert.Equal("system (system)", records[0].Actor);
        Assert.All(records.Skip(1), r => Assert.StartsWith("bootstrap-admin (", r.Actor, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_TamperedRow_NamesIt()
    {
        await using var server = await EscalaTestServer.StartAsync();
        await server.CreateDepartmentAsync("risk");
        await server.CreateDepartmentAsync("hr");
        await server.CreateDepartmentAsync("ops");

        // Someone edits record 3 (the creation of 'hr') to hide a larger headcount.
        Tampering.Rewrite(server.DatabasePath, "UPDATE audit_log SET after_json = replace(after_json, '\"headcount\":100', '\"headcount\":5') WHERE seq = 3;");
        var result = await (await server.Admin().GetAsync("api/v1/audit/verify", Ct)).ReadAsync<AuditVerification>();
        Assert.False(result.IsIntact);
        Assert.Equal(3, result.FirstBroken!.Sequence);
        Assert.Equal("department/hr", result.FirstBroken.Subject);
        Assert.Equal(2, result.RecordsChecked);
        Assert.Contains("changed after it was written", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_DeletedRow_NamesTheGap()
    {
        await using var server = await EscalaTestServer.StartAsync();
        await server.CreateDepartmentAsync("risk");
        await server.CreateDepartmentAsync("hr");
        Tampering.Rewrite(server.DatabasePath, "DELETE FROM audit_log WHERE seq = 2;");
        var result = await (await server.Admin().GetAsync("api/v1/audit/verify", Ct)).ReadAsync<AuditVerification>();
        Assert.Equal(3, result.FirstBroken!.Sequence);
        Assert.Contains("records 2 to 2 are missing", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_IsReadableByApproversOnly()
    {
        await using var server = await EscalaTestServer.StartAsync();
        var scientist = server.Client(await server.CreateKeyAsync("sci", Escala.Core.Access.Role.Scientist));
        await (await scientist.GetAsync("api/v1/audit", Ct)).AssertProblemAsync(ProblemTypes.InsufficientRole, "approver");
        var approver = server.Client(await server.CreateKeyAsync("appr", Escala.Core.Access.Role.Approver));
        Assert.NotEmpty(await (await approver.GetAsync("api/v1/audit?subject=key/", Ct)).ReadAsync<AuditRecord[]>());
    }
}
