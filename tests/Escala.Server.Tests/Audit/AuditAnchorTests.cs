using System.Net;
using Escala.Core.Access;
using Escala.Core.Audit;
using Escala.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Escala.Server.Tests.Audit;

/// <summary>
/// The audit chain's tail and the state beside it, through the real server: the chain's head is anchored outside the
/// database (a signed checkpoint rewritten after every audited commit), so records cut off the end or a database rolled
/// back to an older copy are reported at startup and by verify; and keys, stages and routes are reconciled with their
/// last audited state, so a direct database edit is reported and an edited key gets no power.
/// </summary>
public sealed class AuditAnchorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<AuditVerification> VerifyAsync(EscalaTestServer server) =>
        await (await server.Admin().GetAsync("api/v1/audit/verify", Ct)).ReadAsync<AuditVerification>();

    [Theory]
    [InlineData(1)]
    [InlineData(20)]
    public async Task Deleting_the_last_records_is_reported_by_verify_and_at_the_next_start(int deleted)
    {
        await using var server = await EscalaTestServer.StartAsync();
        for (var i = 0; i < 24; i++)
        {
            await server.CreateDepartmentAsync($"d{i}");
        }

        var intact = await VerifyAsync(server);
        Assert.True(intact.IsIntact, intact.Describe());
        Assert.Equal(intact.RecordsChecked, intact.Anchor!.Sequence);
        var head = intact.RecordsChecked;

        Tampering.Rewrite(server.DatabasePath, $"DELETE FROM audit_log WHERE seq > {head - deleted};");
        var result = await VerifyAsync(server);
        Assert.False(result.IsIntact);
        Assert.Null(result.FirstBroken);
        Assert.Contains(deleted == 1 ? $"record {head} is missing from the end" : $"records {head - deleted + 1} to {head} are missing from the end", result.Reason, StringComparison.Ordinal);

        // The next change does not paper over it (the anchor never moves back: the record now at the anchored position is
        // not the anchored one), and a restart reports it loudly.
        await server.CreateDepartmentAsync("after");
        Assert.False((await VerifyAsync(server)).IsIntact);
        var restarted = await server.RestartAsync();
        await using (restarted)
        {
            Assert.Contains(restarted.Logs.Entries, e => e.Level == LogLevel.Critical && e.Message.StartsWith("Audit check at startup failed: Audit chain broken", StringComparison.Ordinal));
            Assert.False((await VerifyAsync(restarted)).IsIntact);
        }
    }

    [Fact]
    public async Task A_database_that_lost_its_last_commits_is_reported_at_startup_and_by_verify()
    {
        var folder = Path.Combine(Path.GetTempPath(), "escala-tests", Guid.NewGuid().ToString("N"));
        var copy = folder + ".older.db";
        try
        {
            var server = await EscalaTestServer.StartAsync(folder);
            await server.CreateDepartmentAsync("risk");

            // A consistent copy of the database as it was here: what the file holds when the write-ahead log's tail is lost.
            using (var connection = new SqliteConnection($"Data Source={server.DatabasePath};Pooling=False"))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = $"VACUUM INTO '{copy}';";
                command.ExecuteNonQuery();
            }

            await server.CreateDepartmentAsync("hr");
            await server.CreateKeyAsync("app", Role.Viewer);
            await server.StopAsync();
            File.Copy(copy, server.DatabasePath, overwrite: true);
            foreach (var sidecar in new[] { "-wal", "-shm" })
            {
                File.Delete(server.DatabasePath + sidecar);
            }

            await using var restarted = await EscalaTestServer.StartAsync(folder);
            Assert.Contains(restarted.Logs.Entries, e => e.Level == LogLevel.Critical && e.Message.Contains("lost with the write-ahead log", StringComparison.Ordinal));
            var result = await VerifyAsync(restarted);
            Assert.False(result.IsIntact);
            Assert.Contains("records 3 to 4 are missing from the end", result.Reason, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(copy);
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_viewer_key_edited_to_admin_in_the_database_gets_no_power_and_verify_names_it()
    {
        await using var server = await EscalaTestServer.StartAsync();
        var viewer = await server.CreateKeyAsync("dashboard", Role.Viewer);
        var id = viewer.Split('_')[1];
        Assert.Equal(HttpStatusCode.Forbidden, (await server.Client(viewer).PostJsonAsync("api/v1/departments", new { name = "x", headcount = 1 })).StatusCode);

        Tampering.Rewrite(server.DatabasePath, $"UPDATE api_keys SET role = 'admin' WHERE id = '{id}';");
        await server.CreateKeyAsync("another", Role.Viewer); // any key change reloads the key ring from the database

        var result = await VerifyAsync(server);
        Assert.False(result.IsIntact);
        var finding = Assert.Single(result.StateFindings);
        Assert.Contains($"key/{id} is stored as role=admin", finding, StringComparison.Ordinal);
        Assert.Contains("last recorded role=viewer", finding, StringComparison.Ordinal);
        using var attempt = await server.Client(viewer).PostJsonAsync("api/v1/departments", new { name = "x", headcount = 1 });
        Assert.Equal(HttpStatusCode.Unauthorized, attempt.StatusCode);
        Assert.Contains(server.Logs.Entries, e => e.Level == LogLevel.Critical && e.Message.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stage_or_a_route_edited_in_the_database_is_reported_by_verify()
    {
        await using var server = await EscalaTestServer.StartAsync();
        var admin = server.Admin();
        await admin.RegisterOkAsync("m", TestModels.Logistic());
        (await admin.PostJsonAsync("api/v1/endpoints", new { name = "e" })).EnsureSuccessStatusCode();
        Assert.True((await VerifyAsync(server)).IsIntact);

        Tampering.Rewrite(server.DatabasePath, "DROP TRIGGER IF EXISTS model_versions_immutable; UPDATE model_versions SET stage = 'production' WHERE model = 'm';");
        Tampering.Rewrite(server.DatabasePath, "UPDATE endpoints SET routing = json_set(routing, '$.fallback', 'm:1') WHERE name = 'e';");

        var result = await VerifyAsync(server);
        Assert.False(result.IsIntact);
        Assert.Contains(result.StateFindings, f => f.Contains("model/m/versions/1 is stored as stage=production", StringComparison.Ordinal) && f.Contains("stage=none", StringComparison.Ordinal));
        Assert.Contains(result.StateFindings, f => f.StartsWith("endpoint endpoint/e is stored as routing=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_signed_checkpoint_is_exportable_and_an_edited_anchor_is_reported()
    {
        await using var server = await EscalaTestServer.StartAsync();
        await server.CreateDepartmentAsync("risk");
        var checkpoint = await (await server.Admin().GetAsync("api/v1/audit/checkpoint", Ct)).ReadAsync<AuditCheckpoint>();
        Assert.Equal(2, checkpoint.Sequence);
        Assert.Equal(64, checkpoint.Mac.Length);
        Assert.True(checkpoint.IsSignedBy(File.ReadAllBytes(Path.Combine(server.DataDirectory, "audit-anchor.key"))));

        // Someone rewrites the anchor to match a shortened chain: without the key the signature no longer holds.
        var anchor = Path.Combine(server.DataDirectory, "audit-head.json");
        File.WriteAllText(anchor, File.ReadAllText(anchor).Replace("\"sequence\": 2", "\"sequence\": 1", StringComparison.Ordinal));
        var result = await VerifyAsync(server);
        Assert.False(result.IsIntact);
        Assert.Contains("not signed by this server's anchor key", result.Reason, StringComparison.Ordinal);
    }
}
