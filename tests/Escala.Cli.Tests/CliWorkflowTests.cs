using System.Text.Json;
using Escala.Cli.Tests.Support;
using Escala.Testing;

namespace Escala.Cli.Tests;

public sealed class CliWorkflowTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RegisterPromoteApproveAndVerify_ThroughTheCli()
    {
        await using var server = await EscalaTestServer.StartAsync();
        var url = server.Url;
        var admin = server.AdminKey;
        await EscalaProcess.RunOkAsync(url, admin, "departments", "create", "risk", "--headcount", "120", "--champion", "Dana Ortiz");
        var aliceKey = (await EscalaProcess.RunOkAsync(url, admin, "keys", "create", "alice", "--role", "scientist", "--department", "risk")).Output.Trim().Split('\n')[^1];
        var bobKey = (await EscalaProcess.RunOkAsync(url, admin, "keys", "create", "bob", "--role", "approver", "--department", "risk")).Output.Trim().Split('\n')[^1];
        Assert.StartsWith("esk_", aliceKey, StringComparison.Ordinal);

        var folder = server.DataDirectory;
        var model = Path.Combine(folder, "model.onnx");
        var metrics = Path.Combine(folder, "metrics.json");
        var card = Path.Combine(folder, "card.md");
        var training = Path.Combine(folder, "train.csv");
        await File.WriteAllBytesAsync(model, TestModels.Logistic(features: 5), Ct);
        await File.WriteAllTextAsync(metrics, """{"auc": 0.83, "accuracy": 0.91}""", Ct);
        await File.WriteAllTextAsync(card, "# credit-risk v1\n\nIntended use: tests.", Ct);
        await File.WriteAllTextAsync(training, "a,b\n1,2\n", Ct);

        var registered = await EscalaProcess.RunOkAsync(url, aliceKey, "models", "register", "credit-risk", model,
            "--metrics", metrics, "--card", card, "--tag", "team=risk", "--tag", "stage=pilot", "--training-data", training, "--pipeline-run", "run-1");
        Assert.Contains("Registered credit-risk v1", registered.Output, StringComparison.Ordinal);
        Assert.Contains("x: float[N,5] -> p: float[N,1]", registered.Output, StringComparison.Ordinal);

        var listed = await EscalaProcess.RunOkAsync(url, aliceKey, "models", "list", "--json");
        using (var json = JsonDocument.Parse(listed.Output))
        {
            Assert.Equal("credit-risk", json.RootElement[0].GetProperty("name").GetString());
            Assert.Equal("risk", json.RootElement[0].GetProperty("department").GetString());
        }

        var shown = await EscalaProcess.RunOkAsync(url, aliceKey, "models", "show", "credit-risk", "1", "--json");
        using (var json = JsonDocument.Parse(shown.Output))
        {
            Assert.Equal(0.83, json.RootElement.GetProperty("metrics").GetProperty("auc").GetDouble());
            Assert.Equal("pilot", json.RootElement.GetProperty("tags").GetProperty("stage").GetString());
            Assert.StartsWith("sha256:", json.RootElement.GetProperty("lineage").GetProperty("dataFingerprint").GetString(), StringComparison.Ordinal);
        }

        await EscalaProcess.RunOkAsync(url, aliceKey, "models", "stage", "credit-risk", "1", "staging");
        var requested = await EscalaProcess.RunOkAsync(url, aliceKey, "models", "stage", "credit-risk", "1", "production", "--comment", "pilot done");
        Assert.Contains("request #1 is pending", requested.Output, StringComparison.Ordinal);

        var pending = await EscalaProcess.RunOkAsync(url, bobKey, "approvals", "list");
        Assert.Contains("credit-risk:1", pending.Output, StringComparison.Ordinal);
        var approved = await EscalaProcess.RunOkAsync(url, bobKey, "approvals", "approve", "1", "--comment", "reviewed");
        Assert.Contains("credit-risk v1 is now in production", approved.Output, StringComparison.Ordinal);

        await EscalaProcess.RunOkAsync(url, aliceKey, "models", "alias", "credit-risk", "champion", "1");
        var cardHtml = Path.Combine(folder, "card.html");
        await EscalaProcess.RunOkAsync(url, aliceKey, "models", "card", "credit-risk", "champion", "--html", cardHtml);
        Assert.Contains("<h1>credit-risk v1</h1>", await File.ReadAllTextAsync(cardHtml, Ct), StringComparison.Ordinal);
        var downloaded = Path.Combine(folder, "downloaded.onnx");
        await EscalaProcess.RunOkAsync(url, aliceKey, "models", "download", "credit-risk", "champion", "--out", downloaded);
        Assert.Equal(await File.ReadAllBytesAsync(model, Ct), await File.ReadAllBytesAsync(downloaded, Ct));

        var verified = await EscalaProcess.RunOkAsync(url, bobKey, "audit", "verify");
        Assert.Contains("Audit chain intact", verified.Output, StringComparison.Ordinal);
        var audit = await EscalaProcess.RunOkAsync(url, bobKey, "audit", "list", "--subject", "approval/", "--json");
        using (var json = JsonDocument.Parse(audit.Output))
        {
            Assert.Equal(["approval.request", "approval.approve"], json.RootElement.EnumerateArray().Select(r => r.GetProperty("action").GetString()));
        }
    }

    [Fact]
    public async Task SelfApproval_IsRefusedByTheCli_WithTheFourEyesReason()
    {
        await using var server = await EscalaTestServer.StartAsync();
        var admin = server.Admin();
        await admin.RegisterOkAsync("m", TestModels.Logistic());
        (await admin.PostJsonAsync("api/v1/models/m/versions/1/stage", new Escala.Server.Registry.StageChangeRequest("staging"))).EnsureSuccessStatusCode();
        await EscalaProcess.RunOkAsync(server.Url, server.AdminKey, "models", "stage", "m", "1", "production");
        var result = await EscalaProcess.RunAsync(server.Url, server.AdminKey, "approvals", "approve", "1");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("(403 four-eyes)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditVerify_OnAStoppedServersFolder_NamesTheTamperedRecord()
    {
        var server = await EscalaTestServer.StartAsync();
        var folder = server.DataDirectory;
        await server.CreateDepartmentAsync("risk");
        await server.CreateDepartmentAsync("hr");
        await server.StopAsync();
        try
        {
            var intact = await EscalaProcess.RunOkAsync(null, null, "audit", "verify", "--data", folder);
            Assert.Contains("Audit chain intact: 3 records", intact.Output, StringComparison.Ordinal);

            Tampering.Rewrite(Path.Combine(folder, "escala.db"), "UPDATE audit_log SET actor = 'someone else' WHERE seq = 2;");
            var broken = await EscalaProcess.RunAsync(null, null, "audit", "verify", "--data", folder);
            Assert.Equal(1, broken.ExitCode);
            Assert.Contains("Audit chain broken at record 2 (department.create department/risk", broken.Error, StringComparison.Ordinal);
            Assert.Contains("1 records before it are intact", broken.Error, StringComparison.Ordinal);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task AuditVerify_OnAStoppedServersFolder_ReportsRecordsCutOffTheEndAndAKeyEditedToAdmin()
    {
        var server = await EscalaTestServer.StartAsync();
        var folder = server.DataDirectory;
        await server.CreateDepartmentAsync("risk");
        var viewer = await server.CreateKeyAsync("dashboard", Escala.Core.Access.Role.Viewer);
        await server.CreateDepartmentAsync("hr");
        await server.StopAsync();
        try
        {
            var intact = await EscalaProcess.RunOkAsync(null, null, "audit", "verify", "--data", folder);
            Assert.Contains("Audit chain intact: 4 records", intact.Output, StringComparison.Ordinal);
            Assert.Contains("matches its signed anchor (record 4)", intact.Output, StringComparison.Ordinal);

            Tampering.Rewrite(Path.Combine(folder, "escala.db"),
                $"DELETE FROM audit_log WHERE seq = 4; UPDATE api_keys SET role = 'admin' WHERE id = '{viewer.Split('_')[1]}';");
            var broken = await EscalaProcess.RunAsync(null, null, "audit", "verify", "--data", folder);
            Assert.Equal(1, broken.ExitCode);
            Assert.Contains("record 4 is missing from the end of the chain", broken.Error, StringComparison.Ordinal);
            Assert.Contains("is stored as role=admin", broken.Error, StringComparison.Ordinal);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Demo_RunsTheMainJobEndToEnd_OnAFreshFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "escala-tests", "demo-" + Guid.NewGuid().ToString("N"));
        try
        {
            var demo = await EscalaProcess.RunOkAsync(null, null, "demo", "--data", folder);
            Assert.Contains("alice registered credit-risk v1", demo.Output, StringComparison.Ordinal);
            Assert.Contains("bob tried to approve it himself -> refused", demo.Output, StringComparison.Ordinal);
            Assert.Contains("(403 four-eyes)", demo.Output, StringComparison.Ordinal);
            Assert.Contains("carol approved request #1 -> credit-risk v1 is in production", demo.Output, StringComparison.Ordinal);
            Assert.Contains("advance to wave 2 -> refused", demo.Output, StringComparison.Ordinal);
            Assert.Contains("(409 gates-failing)", demo.Output, StringComparison.Ordinal);
            Assert.Contains("retail-banking's app before its wave -> refused", demo.Output, StringComparison.Ordinal);
            Assert.Contains("wave 2 (retail-banking,operations) now served by credit-risk:1", demo.Output, StringComparison.Ordinal);
            Assert.Contains("projection to the whole plan", demo.Output, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(folder, "executive-report.html")));
            Assert.Contains("Audit chain intact", demo.Output, StringComparison.Ordinal);
            Assert.Equal("", demo.Error);

            var verified = await EscalaProcess.RunOkAsync(null, null, "audit", "verify", "--data", folder);
            Assert.Contains("Audit chain intact", verified.Output, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(folder, "credit-risk-v1-card.html")));

            var again = await EscalaProcess.RunAsync(null, null, "demo", "--data", folder);
            Assert.Equal(1, again.ExitCode);
            Assert.Contains("already holds an Escala database", again.Error, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
