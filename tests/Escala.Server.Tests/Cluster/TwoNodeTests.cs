using System.Net;
using System.Net.Http.Json;
using Escala.Core.Access;
using Escala.Core.Monitoring.Alerts;
using Escala.Core.Monitoring.Settings;
using Escala.Server.Hosting;
using Escala.Server.Scheduling;
using Escala.Server.Storage;
using Escala.Server.Tests.Gateway;
using Escala.Testing;
using Microsoft.Extensions.Configuration;

namespace Escala.Server.Tests.Cluster;

/// <summary>
/// Two real servers in one process on one PostgreSQL database, as two nodes behind a load balancer: a change
/// made through one is served by the other within a bounded wait (the change log and NOTIFY), artifacts are
/// shared, and cluster-wide jobs run on one node only. Skipped unless <c>ESCALA_TEST_POSTGRES</c> is set.
/// </summary>
public sealed class TwoNodeTests
{
    private static readonly TimeSpan Propagation = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_key_created_on_one_node_works_on_the_other_and_its_revocation_is_seen_there()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var a = await StartNodeAsync(database);
        await using var b = await StartNodeAsync(database);
        Assert.Equal("", b.AdminKey); // one bootstrap key for the cluster, written by the node that made it

        var secret = await a.CreateKeyAsync("analyst", Role.Viewer);
        using var analystOnB = b.Client(secret);
        await Poll.UntilAsync(async () => (await analystOnB.GetAsync("api/v1/departments", Ct)).StatusCode == HttpStatusCode.OK,
            Propagation, "the key created on node A to authenticate on node B");

        var id = ApiKeySecret.IdOf(secret);
        (await a.Admin().DeleteAsync($"api/v1/keys/{id}", Ct)).EnsureSuccessStatusCode();
        await Poll.UntilAsync(async () => (await analystOnB.GetAsync("api/v1/departments", Ct)).StatusCode == HttpStatusCode.Unauthorized,
            Propagation, "the key revoked on node A to be refused on node B");
    }

    [Fact]
    public async Task An_endpoint_deployed_through_one_node_is_served_by_the_other_and_back()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var a = await StartNodeAsync(database);
        await using var b = await StartNodeAsync(database);
        var admin = a.Admin();
        using var adminOnB = b.Client(a.AdminKey);

        await GatewayHost.Ensure(await admin.PostAsJsonAsync("api/v1/endpoints", new { name = "credit" }, Ct));
        await admin.RegisterOkAsync("credit", Gateway.TestModels.Logistic(Traffic.W1, 0));
        await admin.RegisterOkAsync("credit", Gateway.TestModels.Logistic(Traffic.W2, 0));
        await GatewayHost.Ensure(await admin.PostAsJsonAsync("api/v1/endpoints/credit/deploy", new { version = "credit:1" }, Ct));

        // Node B loads the version's artifact from the shared database and serves it.
        await Poll.UntilAsync(async () => await VersionOnAsync(adminOnB) == "credit:1", Propagation, "node B to serve credit:1");

        await GatewayHost.Ensure(await admin.PostAsJsonAsync("api/v1/endpoints/credit/deploy", new { version = "credit:2" }, Ct));
        await Poll.UntilAsync(async () => await VersionOnAsync(adminOnB) == "credit:2", Propagation, "node B to serve credit:2 after the deploy on node A");
        Assert.Equal(new Dictionary<string, int> { ["credit:2"] = 20 }, await Traffic.TallyAsync(adminOnB, 20));

        // And the other way round: a deploy through node B reaches node A.
        await GatewayHost.Ensure(await adminOnB.PostAsJsonAsync("api/v1/endpoints/credit/deploy", new { version = "credit:1" }, Ct));
        await Poll.UntilAsync(async () => await VersionOnAsync(admin) == "credit:1", Propagation, "node A to serve credit:1 after the deploy on node B");

        var verify = await GatewayHost.Ensure(await adminOnB.GetAsync("api/v1/audit/verify", Ct));
        Assert.True(verify.GetProperty("isIntact").GetBoolean(), verify.GetRawText());
    }

    [Fact]
    public async Task Monitoring_settings_and_alert_rules_changed_on_one_node_make_the_other_rebuild_its_monitors_and_reread_its_rules()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var a = await StartNodeAsync(database);
        await using var b = await StartNodeAsync(database);
        var settingsChanged = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var rulesChanged = 0;
        b.Service<MonitoringConfiguration>().Changed += settingsChanged.Enqueue;
        b.Service<AlertRules>().Changed += () => Interlocked.Increment(ref rulesChanged);
        var admin = a.Admin();

        await GatewayHost.Ensure(await admin.PostAsJsonAsync("api/v1/endpoints", new { name = "credit" }, Ct));
        await GatewayHost.Ensure(await admin.PutAsJsonAsync("api/v1/endpoints/credit/monitoring", new { quality = "reject" }, Ct));
        await GatewayHost.Ensure(await admin.PostAsJsonAsync("api/v1/alerts/rules", new { endpoint = "credit", name = "errors", metric = "error.rate", threshold = 0.05 }, Ct));

        await Poll.UntilAsync(() => settingsChanged.Contains("credit"), Propagation, "node B to rebuild credit's monitors");
        await Poll.UntilAsync(() => Volatile.Read(ref rulesChanged) > 0, Propagation, "node B's alert engine to reread the rules");
    }

    [Fact]
    public async Task Cluster_wide_jobs_run_on_exactly_one_node()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var a = await StartNodeAsync(database);
        await using var b = await StartNodeAsync(database);

        var ran = new[]
        {
            await a.Service<JobScheduler>().RunOnceAsync("canary-steps", Ct),
            await b.Service<JobScheduler>().RunOnceAsync("canary-steps", Ct),
        };

        Assert.Single(ran, r => r);
        Assert.True(await a.Service<JobScheduler>().RunOnceAsync("change-follower", Ct)); // node-local: runs everywhere
        Assert.True(await b.Service<JobScheduler>().RunOnceAsync("change-follower", Ct));
    }

    private static Task<EscalaTestServer> StartNodeAsync(PostgresTestDatabase database) =>
        EscalaTestServer.StartAsync(
            options: folder => new EscalaServerOptions { DataDirectory = folder, Store = StoreLocation.Parse($"postgres:{database.ConnectionString}") },
            configure: builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["PredictionLog:Linger"] = "00:00:00.020" });
                EscalaTestServer.UseRoutingOnlyStageRules(builder);
            });

    private static async Task<string?> VersionOnAsync(HttpClient client)
    {
        using var response = await client.PostAsJsonAsync("v1/endpoints/credit/predict", new { records = new[] { new { features = new[] { 1f, 2f, 3f } } } }, Ct);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct);
        return body.TryGetProperty("version", out var version) ? version.GetString() : null;
    }
}
