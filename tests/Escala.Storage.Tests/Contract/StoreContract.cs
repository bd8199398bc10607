using System.Text;
using Escala.Core.Access;
using Escala.Core.Audit;
using Escala.Core.Departments;
using Escala.Core.Endpoints;
using Escala.Core.Monitoring.Accuracy;
using Escala.Core.Monitoring.Alerts;
using Escala.Core.Monitoring.Baselines;
using Escala.Core.Monitoring.Drift;
using Escala.Core.Monitoring.Latency;
using Escala.Core.Monitoring.Settings;
using Escala.Core.Monitoring.Status;
using Escala.Core.Monitoring.Windows;
using Escala.Core.Outbound;
using Escala.Core.PredictionLog;
using Escala.Core.Problems;
using Escala.Core.Registry;
using Escala.Core.Routing;
using Escala.Storage.Tests.Support;

namespace Escala.Storage.Tests.Contract;

/// <summary>
/// What every backend's stores must do, run once per backend (<see cref="SqliteStoreContract"/>,
/// <see cref="PostgresStoreContract"/>): the behaviour of each store interface, and the races two
/// nodes can run into (the next version number, the audit chain's head, one approval decided twice).
/// </summary>
public abstract class StoreContract
{
    private static readonly Principal Admin = StorageWorld.Admin;
    private static readonly Principal Alice = StorageWorld.Key("alice", Role.Scientist, "risk");
    private static readonly Principal Bob = StorageWorld.Key("bob", Role.Approver, "risk");
    private static readonly Principal Carol = StorageWorld.Key("carol", Role.Approver, "risk");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A fresh, empty database of the backend under test.</summary>
    protected abstract Task<StoreBackend> CreateBackendAsync();

    [Fact]
    public async Task A_model_grant_is_stored_once_with_its_audit_record_and_withdrawn_once()
    {
        await using var backend = await CreateBackendAsync();
        var node = await backend.OpenNodeAsync(new ManualClock());
        await node.Org.CreateAsync(Admin, "risk", new DepartmentChange(null, 5, null), Ct);
        await node.Org.CreateAsync(Admin, "retail", new DepartmentChange(null, 5, null), Ct);
        await node.Registry.RegisterAsync(Alice, new RegistrationRequest("pd", Department: "risk"), StorageWorld.ModelBytes("pd"), Ct);

        var grant = await node.ModelGrants.GrantAsync(Bob, "pd", "retail", Ct);
        Assert.True(await node.Grants.IsGrantedAsync("pd", "retail", Ct));
        Assert.False(await node.Grants.IsGrantedAsync("pd", "risk", Ct));
        Assert.Equal([grant], await node.Grants.ListAsync("pd", Ct));
        Assert.False(await node.Grants.TryAddAsync(grant, AuditEntry.Create<ModelGrant>(grant.GrantedAt, Bob, "model.grant", "model/pd/grants/retail", null, grant), Ct));

        await node.ModelGrants.RevokeAsync(Bob, "pd", "retail", Ct);
        Assert.Empty(await node.Grants.ListAsync("pd", Ct));
        Assert.Equal(["model.grant", "model.grant.revoke"], (await AuditAsync(node)).Where(r => r.Subject.StartsWith("model/pd/grants", StringComparison.Ordinal)).Select(r => r.Action));
    }

    [Fact]
    public async Task Outbound_hosts_are_added_once_listed_in_order_and_removed_once()
    {
        await using var backend = await CreateBackendAsync();
        var node = await backend.OpenNodeAsync(new ManualClock());
        var at = DateTimeOffset.UnixEpoch;
        foreach (var host in new[] { "models.internal", "hooks.example.com" })
        {
            Assert.True(await node.OutboundHosts.TryAddAsync(new OutboundHost(host, "any", at, "admin"), AuditEntry.Create<string>(at, Admin, "outbound.add", $"outbound/{host}", null, host), Ct));
        }

        Assert.False(await node.OutboundHosts.TryAddAsync(new OutboundHost("models.internal", "backend", at, "admin"), AuditEntry.Create<string>(at, Admin, "outbound.add", "outbound/models.internal", null, "x"), Ct));
        Assert.Equal(["hooks.example.com", "models.internal"], (await node.OutboundHosts.ListAsync(Ct)).Select(h => h.Host));
        Assert.Equal("any", (await node.OutboundHosts.FindAsync("models.internal", Ct))!.Purpose);
        Assert.True(await node.OutboundHosts.TryRemoveAsync("models.internal", AuditEntry.Create<string>(at, Admin, "outbound.remove", "outbound/models.internal", "x", null), Ct));
        Assert.False(await node.OutboundHosts.TryRemoveAsync("models.internal", AuditEntry.Create<string>(at, Admin, "outbound.remove", "outbound/models.internal", "x", null), Ct));
        Assert.Null(await node.OutboundHosts.FindAsync("models.internal", Ct));
        Assert.Equal(3, (await AuditAsync(node)).Count(r => r.Subject.StartsWith("outbound/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Departments_are_added_once_updated_and_listed_in_name_order()
    {
        await using var backend = await CreateBackendAsync();
        var node = await backend.OpenNodeAsync(new ManualClock());
        await node.Org.CreateAsync(Admin, "risk", new DepartmentChange("Risk", 12, "ana"), Ct);
        await node.Org.CreateAsync(Admin, "hr", new DepartmentChange(null, 3, null), Ct);
        await Assert.ThrowsAsync<ProblemException>(() => node.Org.CreateAsync(Admin, "risk", new DepartmentChange(null, 1, null), Ct));
        await node.Org.UpdateAsync(Admin, "risk", new DepartmentChange(null, 40, null), Ct);

        var listed = await node.Departments.ListAsync(Ct);
        Assert.Equal(["hr", "risk"], listed.Select(d => d.Name));
        Assert.Equal((40, "Risk", "ana"), (listed[1].Headcount, listed[1].DisplayName, listed[1].Champion));
        Assert.Equal(3, (await AuditAsync(node)).Count);
    }

    [Fact]
    public async Task Keys_keep_their_scope_the_first_key_is_made_once_and_a_revocation_applies_once()
    {
        await using var backend = await CreateBackendAsync();
        var node = await backend.OpenNodeAsync(new ManualClock());
        var bootstrap = await node.Issuer.BootstrapAsync(Ct);
        Assert.NotNull(bootstrap);
        Assert.Null(await node.Issuer.BootstrapAsync(Ct));
        await node.Org.CreateAsync(Admin, "risk", new DepartmentChange(null, 1, null), Ct);
        await node.Org.CreateAsync(Admin, "hr", new DepartmentChange(null, 1, null), Ct);
        var scoped = await node.Issuer.CreateAsync(Admin, "analyst", Role.Scientist, ["risk", "hr"], Ct);

        var found = await node.Keys.FindAsync(scoped.Key.Id, Ct);
        Assert.Equal(["hr", "risk"], found!.Departments);
        Assert.True(ApiKeySecret.Matches(scoped.Plaintext, found.SecretHash));

        var at = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.True(await node.Keys.RevokeAsync(scoped.Key.Id, at, Entry("key.revoke", "key/x"), Ct));
        Assert.False(await node.Keys.RevokeAsync(scoped.Key.Id, at.AddHours(1), Entry("key.revoke", "key/x"), Ct));
        Assert.Equal(at, (await node.Keys.FindAsync(scoped.Key.Id, Ct))!.RevokedAt);
        Assert.Equal(2, (await node.Keys.ListAsync(Ct)).Count);
    }

    [Fact]
    public async Task Registry_keeps_versions_metadata_aliases_cards_and_lineage()
    {
        await using var backend = await CreateBackendAsync();
        var node = await backend.OpenNodeAsync(new ManualClock());
        await node.Org.CreateAsync(Admin, "risk", new DepartmentChange(null, 1, null), Ct);
        var registry = node.Registry;
        var v1 = await registry.RegisterAsync(Alice, new RegistrationRequest("credit-risk", Department: "risk", Description: "first",
            Metrics: System.Text.Json.JsonDocument.Parse("{\"auc\":0.81}").RootElement, DataFingerprint: "sha256:data1"), StorageWorld.ModelBytes("v1"), Ct);
        var v2 = await registry.RegisterAsync(Alice, new RegistrationRequest("credit-risk", Parent: "credit-risk:1"), StorageWorld.ModelBytes("v2"), Ct);
        await registry.SetAliasAsync(Alice, "credit-risk", "challenger", 2, Ct);
        await registry.SetCardAsync(Alice, "credit-risk", "1", "# Credit risk\nTrained on 2025.", Ct);

        var read = await registry.GetVersionAsync("credit-risk", "1", Ct);
        Assert.Equal((1, "first", 0.81, "sha256:data1"), (read.Version, read.Description, read.Metrics["auc"], read.Lineage.DataFingerprint));
        Assert.Equal(v1.Artifact, read.Artifact);
        Assert.Equal(v1.Signature!.Inputs[0].Name, read.Signature!.Inputs[0].Name);
        Assert.Equal(2, (await registry.GetVersionAsync("credit-risk", "challenger", Ct)).Version);
        Assert.Equal(2, (await registry.GetVersionAsync("credit-risk", "latest", Ct)).Version);
        Assert.Equal("# Credit risk\nTrained on 2025.", (await registry.GetCardAsync("credit-risk", "1", Ct)).Card.Markdown);
        Assert.Equal([2], (await registry.FindByLineageAsync(new LineageQuery(null, null, null, new VersionRef("credit-risk", 1)), Ct)).Select(v => v.Version));
        Assert.Equal(v2.Version, (await node.Models.ListVersionsAsync("credit-risk", Ct))[^1].Version);
        var summary = Assert.Single(await registry.ListModelsAsync(Ct));
        Assert.Equal((2, 2, (int?)null), (summary.VersionCount, summary.LatestVersion, summary.ProductionVersion));
        Assert.True(summary.Model.RequireApproval);

        await registry.RemoveAliasAsync(Alice, "credit-risk", "challenger", Ct);
        Assert.Empty(await registry.ListAliasesAsync("credit-risk", Ct));
        Assert.True((await AuditChain.VerifyAsync(node.Audit.ReadAllAsync(Ct), Ct)).IsIntact);
    }

    [Fact]
    public async Task Promotion_moves_a_version_through_approval_and_archives_the_previous_champion()
    {
        await using var backend = await CreateBackendAsync();
        var node = await backend.OpenNodeAsync(new ManualClock());
        await node.Org.CreateAsync(Admin, "risk", new DepartmentChange(null, 1, null), Ct);
        foreach (var text in new[] { "v1", "v2" })
        {
            var version = await node.Registry.RegisterAsync(Alice, new RegistrationRequest("credit-risk", Department: "risk"), StorageWorld.ModelBytes(text), Ct);
            await node.Promotions.RequestAsync(Alice, "credit-risk", version.Version, Stage.Staging, null, Ct);
            var request = (await node.Promotions.RequestAsync(Alice, "credit-risk", version.Version, Stage.Production, null, Ct)).PendingApproval!;
            await node.Promotions.ApproveAsync(Bob, request.Id, "ok", Ct);
        }

        var versions = await node.Models.ListVersionsAsync("credit-risk", Ct);
        Assert.Equal([Stage.Archived, Stage.Production], versions.Select(v => v.Stage));
        Assert.Equal([ApprovalStatus.Approved, ApprovalStatus.Approved], (await node.Promotions.ListAsync(null, "credit-risk", Ct)).Select(r => r.Status));
        Assert.Empty(await node.Promotions.ListAsync(ApprovalStatus.Pending, null, Ct));
    }

    [Fact]
    public async Task Two_nodes_registering_at_once_get_consecutive_version_numbers_and_one_audit_chain()
    {
        await using var backend = await CreateBackendAsync();
        var clock = new ManualClock();
        var first = await backend.OpenNodeAsync(clock);
        var second = await backend.OpenNodeAsync(clock);
        await first.Org.CreateAsync(Admin, "risk", new DepartmentChange(null, 1, null), Ct);

        var registrations = Enumerable.Range(0, 16).Select(i => Task.Run(() =>
            (i % 2 == 0 ? first : second).Registry.RegisterAsync(Alice, new RegistrationRequest("credit-risk", Department: "risk"),
                StorageWorld.ModelBytes($"race-{i}"), Ct), Ct));
        var versions = await Task.WhenAll(registrations);

        Assert.Equal(Enumerable.Range(1, 16), versions.Select(v => v.Version).Order());
        Assert.Equal(16, (await second.Models.ListVersionsAsync("credit-risk", Ct)).Count);
        var verification = await AuditChain.VerifyAsync(first.Audit.ReadAllAsync(Ct), Ct);
        Assert.True(verification.IsIntact, verification.Describe());
        Assert.Equal(1 + 16 + 1, verification.RecordsChecked); // department, 16 versions, the model's creation once
    }

    [Fact]
    public async Task Audit_appends_racing_on_two_nodes_extend_one_chain()
    {
        await using var backend = await CreateBackendAsync();
        var first = await backend.OpenNodeAsync(new ManualClock());
        var second = await backend.OpenNodeAsync(new ManualClock());

        var appends = Enumerable.Range(0, 40).Select(i => Task.Run(() =>
            (i % 2 == 0 ? first : second).Audit.AppendAsync(Entry("test.append", $"thing/{i}"), Ct), Ct));
        var records = await Task.WhenAll(appends);

        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), records.Select(r => r.Sequence).Order());
        var chain = await AuditAsync(second);
        Assert.Equal(40, chain.Count);
        Assert.True(AuditChain.Verify(chain).IsIntact);
        Assert.Equal(records.MaxBy(r => r.Sequence)!.Hash, AuditChain.Verify(chain).HeadHash);
        Assert.Equal(11, (await first.Audit.ListAsync(0, 100, "thing/3", Ct)).Count); // thing/3 and thing/30-39
        Assert.Equal(["thing/3"], (await first.Audit.ListAsync(0, 100, "thing/3", Ct)).Select(r => r.Subject).Where(s => s.Length == 7));
    }

    [Fact]
    public async Task An_approval_decided_on_two_nodes_at_once_applies_once()
    {
        await using var backend = await CreateBackendAsync();
        var first = await backend.OpenNodeAsync(new ManualClock());
        var second = await backend.OpenNodeAsync(new ManualClock());
        await first.Org.CreateAsync(Admin, "risk", new DepartmentChange(null, 1, null), Ct);
        await first.Registry.RegisterAsync(Alice, new RegistrationRequest("credit-risk", Department: "risk"), StorageWorld.ModelBytes("v1"), Ct);
        await first.Promotions.RequestAsync(Alice, "credit-risk", 1, Stage.Staging, null, Ct);
        var request = (await first.Promotions.RequestAsync(Alice, "credit-risk", 1, Stage.Production, null, Ct)).PendingApproval!;

        var outcomes = await Task.WhenAll(
            Outcome(() => first.Promotions.ApproveAsync(Bob, request.Id, "ok", Ct)),
            Outcome(() => second.Promotions.ApproveAsync(Carol, request.Id, "ok", Ct)));

        Assert.Single(outcomes, o => o is null);
        Assert.Single(outcomes, o => o == ProblemTypes.Conflict);
        Assert.Equal(Stage.Production, (await second.Registry.GetVersionAsync("credit-risk", "1", Ct)).Stage);
        var audit = await AuditAsync(first);
        Assert.Single(audit, r => r.Subject == "model/credit-risk/versions/1" && r.After?.Contains("production", StringComparison.Ordinal) == true);
        Assert.True(AuditChain.Verify(audit).IsIntact);

        static async Task<ProblemType?> Outcome(Func<Task> approve)
        {
            try
            {
                await approve();
                return null;
            }
            catch (ProblemException e)
            {
                return e.Type;
            }
        }
    }

    [Fact]
    public async Task Endpoints_are_added_once_and_an_update_from_a_stale_generation_is_refused()
    {
        await using var backend = await CreateBackendAsync();
        var node = await backend.OpenNodeAsync(new ManualClock());
        var at = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
        var endpoint = new Core.Endpoints.Endpoint("credit", null, "scores applicants", RoutingTable.Empty, EndpointSettings.Defaults, 1, at, "admin", at);
        Assert.True(await node.Endpoints.TryAddAsync(endpoint, Entry("endpoint.create", "endpoint/credit"), Ct));
        Assert.False(await node.Endpoints.TryAddAsync(endpoint, Entry("endpoint.create", "endpoint/credit"), Ct));

        var next = endpoint with { Description = "v2", Generation = 2, UpdatedAt = at.AddMinutes(1) };
        Assert.True(await node.Endpoints.TryUpdateAsync(next, 1, Entry("endpoint.update", "endpoint/credit"), Ct));
        Assert.False(await node.Endpoints.TryUpdateAsync(endpoint with { Generation = 2 }, 1, Entry("endpoint.update", "endpoint/credit"), Ct));

        var stored = (await node.Endpoints.FindAsync("credit", Ct))!;
        Assert.Equal(("v2", 2L, at.AddMinutes(1)), (stored.Description, stored.Generation, stored.UpdatedAt));
        Assert.Equal(2, (await AuditAsync(node)).Count);
    }

    [Fact]
    public async Task The_prediction_log_keeps_batches_in_order_finds_a_request_and_drops_old_lines()
    {
        await using var backend = await CreateBackendAsync();
        var node = await backend.OpenNodeAsync(new ManualClock());
        var at = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
        PredictionRecord Line(string id, int minutes, PredictionKind kind = PredictionKind.Served, string? failure = null) => new(
            id, at.AddMinutes(minutes), "credit", "credit-risk:1", "risk", null, kind, "oip", failure,
            Encoding.UTF8.GetBytes($"{{\"x\":{minutes}}}"), Encoding.UTF8.GetBytes("{\"y\":[0.25]}"), 1200 + minutes, null);
        await node.PredictionLog.AppendAsync([Line("r1", 0), Line("r2", 1), Line("r2", 1, PredictionKind.Shadow)], Ct);
        await node.PredictionLog.AppendAsync([Line("r3", 2, failure: "timeout")], Ct);

        var newest = await node.PredictionLog.QueryAsync(new PredictionLogQuery("credit", Limit: 2), Ct);
        Assert.Equal(["r3", "r2"], newest.Select(r => r.RequestId));
        Assert.Equal("timeout", newest[0].FailureReason);
        var r2 = await node.PredictionLog.QueryAsync(new PredictionLogQuery("credit", "r2"), Ct);
        Assert.Equal([PredictionKind.Served, PredictionKind.Shadow], r2.Select(r => r.Kind));
        Assert.Equal("{\"x\":1}", Encoding.UTF8.GetString(r2[0].Inputs.Span));
        Assert.Equal(1201, r2[0].LatencyMicroseconds);

        Assert.Equal(3, await node.PredictionLog.DeleteOlderThanAsync(at.AddMinutes(2), Ct));
        Assert.Equal(["r3"], (await node.PredictionLog.QueryAsync(new PredictionLogQuery("credit"), Ct)).Select(r => r.RequestId));
    }

    [Fact]
    public async Task Monitoring_state_round_trips_baselines_settings_rules_states_events_windows_counts_and_labels()
    {
        await using var backend = await CreateBackendAsync();
        var node = await backend.OpenNodeAsync(new ManualClock());
        var at = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
        await node.Org.CreateAsync(Admin, "risk", new DepartmentChange(null, 1, null), Ct);
        await node.Registry.RegisterAsync(Alice, new RegistrationRequest("credit-risk", Department: "risk"), StorageWorld.ModelBytes("v1"), Ct);

        // Baselines: one per version, replaced by a later one.
        var profile = Baseline(0);
        await node.Baselines.SetAsync(new StoredBaseline("credit-risk", 1, profile, BaselineSource.Reference, at, "alice"), Entry("baseline.set", "model/credit-risk/versions/1"), Ct);
        await node.Baselines.SetAsync(new StoredBaseline("credit-risk", 1, Baseline(1), BaselineSource.Predictions, at, "alice"), Entry("baseline.set", "model/credit-risk/versions/1"), Ct);
        var baseline = (await node.Baselines.FindAsync("credit-risk", 1, Ct))!;
        Assert.Equal((BaselineSource.Predictions, 200L), (baseline.Source, baseline.Profile.RowCount));
        Assert.Equal([1], (await node.Baselines.SummariesAsync("credit-risk", Ct)).Keys);

        // Settings.
        await node.MonitoringSettings.SetAsync(new StoredMonitoringSettings("credit", MonitoringSettings.Defaults, at, "alice"), Entry("monitoring.settings.set", "endpoint/credit/monitoring"), Ct);
        Assert.Equal("credit", Assert.Single(await node.MonitoringSettings.ListAsync(Ct)).Endpoint);

        // Rules, states (a removed rule keeps none) and events with their delivery.
        var rule = new AlertRuleSpec(0, "credit", "drift", AlertMetric.DriftShare, null, null, null, AlertComparison.GreaterThan, 0.3, AlertSeverity.Warning,
            0, null, 0, ["http://127.0.0.1:9/hook"], at, "alice");
        var first = await node.Alerts.AddRuleAsync(rule, r => Entry("alert.rule.add", $"endpoint/credit/alerts/{r.Id}"), Ct);
        var second = await node.Alerts.AddRuleAsync(rule with { Name = "drift-2" }, r => Entry("alert.rule.add", $"endpoint/credit/alerts/{r.Id}"), Ct);
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(["http://127.0.0.1:9/hook"], (await node.Alerts.FindRuleAsync(first.Id, Ct))!.Webhooks);
        var firing = new AlertState(AlertStatus.Firing, at, at);
        var events = await node.Alerts.RecordAsync(
            [new StoredAlertState(first.Id, "credit-risk:1", firing, 0.5, at), new StoredAlertState(second.Id, "", firing, double.NaN, at)],
            [Event(first.Id, at), Event(first.Id, at.AddMinutes(1))], Ct);
        Assert.True(events[1].Id > events[0].Id);
        await node.Alerts.UpdateDeliveryAsync(events[0].Id, DeliveryStatus.Failed, 3, "refused", Ct);
        Assert.True(await node.Alerts.RemoveRuleAsync(second.Id, Entry("alert.rule.remove", "endpoint/credit/alerts/2"), Ct));
        Assert.False(await node.Alerts.RemoveRuleAsync(second.Id, Entry("alert.rule.remove", "endpoint/credit/alerts/2"), Ct));
        var state = Assert.Single(await node.Alerts.ListStatesAsync(Ct));
        Assert.Equal((first.Id, AlertStatus.Firing, 0.5), (state.RuleId, state.State.Status, state.LastValue));
        var listed = await node.Alerts.ListEventsAsync("credit", null, 10, Ct);
        Assert.Equal([events[1].Id, events[0].Id], listed.Select(e => e.Id));
        Assert.Equal((DeliveryStatus.Failed, 3, "refused"), (listed[1].Delivery, listed[1].Attempts, listed[1].LastError));
        Assert.Equal([events[0].Id], (await node.Alerts.ListEventsAsync(null, events[1].Id, 10, Ct)).Select(e => e.Id));

        // Drift windows: the newest `keep` per endpoint and version are kept.
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            var window = new WindowAccumulator(profile);
            foreach (var value in Values(100, shift: i))
            {
                window.Add([FeatureValue.Of(value)]);
            }

            var snapshot = window.Close(at.AddHours(i), at.AddHours(i + 1));
            ids.Add(await node.DriftReports.AppendAsync("credit", "credit-risk:1", new DriftDetector(profile).Evaluate(snapshot), snapshot, keep: 2, Ct));
        }

        var windows = await node.DriftReports.ListAsync("credit", "credit-risk:1", null, 10, Ct);
        Assert.Equal([ids[2], ids[1]], windows.Select(w => w.Id));
        Assert.Null(await node.DriftReports.FindAsync(ids[0], Ct));
        var full = (await node.DriftReports.FindAsync(ids[2], Ct))!;
        Assert.Equal((100L, at.AddHours(2)), (full.Report.Rows, full.Report.Start));
        Assert.Equal([ids[1], ids[2]], (await node.DriftReports.WindowsSinceAsync("credit", "credit-risk:1", at, 10, Ct)).Select(w => w.Id));
        Assert.Equal([ids[2]], (await node.DriftReports.ListAsync("credit", null, at.AddHours(2.5), 10, Ct)).Select(w => w.Id));

        // Hourly counts add up across flushes.
        var hour = at;
        await node.RequestCounts.AddAsync([new HourlyCounts("credit", "credit-risk:1", null, hour, new RequestCounts(10, 1, 2, 3))], Ct);
        await node.RequestCounts.AddAsync([new HourlyCounts("credit", "credit-risk:1", null, hour, new RequestCounts(5, 1, 0, 0)),
            new HourlyCounts("credit", "credit-risk:1", "risk", hour, new RequestCounts(1, 0, 0, 0))], Ct);
        var counts = await node.RequestCounts.ListAsync("credit", hour, Ct);
        Assert.Equal(new RequestCounts(15, 2, 2, 3), counts.Single(c => c.Department is null).Counts);
        Assert.Equal(1, await node.RequestCounts.DeleteBeforeAsync(hour.AddHours(1), Ct) > 0 ? 1 : 0);

        // Labels: a second label for the same request and row replaces the first.
        FeedbackRow Label(string request, string actual) => new("credit", request, 0, "credit-risk:1", "risk", at, at.AddHours(1), GroundTruthTask.Binary,
            actual, null, null, 0.7, null);
        Assert.Equal((2, 0), await node.Feedback.UpsertAsync([Label("r1", "1"), Label("r2", "0")], Ct));
        Assert.Equal((1, 1), await node.Feedback.UpsertAsync([Label("r2", "1"), Label("r3", "0")], Ct));
        Assert.Equal(["1", "1", "0"], (await node.Feedback.ListAsync("credit", at, Ct)).OrderBy(l => l.RequestId).Select(l => l.ActualLabel));
        Assert.Equal(["credit"], await node.Feedback.EndpointsAsync(at, Ct));

        Assert.True((await AuditChain.VerifyAsync(node.Audit.ReadAllAsync(Ct), Ct)).IsIntact);
    }

    [Fact]
    public async Task Artifacts_are_stored_once_verified_on_every_load_and_repaired_by_the_same_bytes()
    {
        await using var backend = await CreateBackendAsync();
        var node = await backend.OpenNodeAsync(new ManualClock());
        var other = await backend.OpenNodeAsync(new ManualClock());
        // Larger than one PostgreSQL chunk, and not a multiple of it.
        var bytes = new byte[(1024 * 1024 * 2) + 123];
        new Random(7).NextBytes(bytes);

        var put = await node.Artifacts.PutAsync(bytes, Ct);
        Assert.True(put.Created);
        Assert.False((await other.Artifacts.PutAsync(bytes, Ct)).Created);
        Assert.True(other.Artifacts.Exists(put.Id));
        Assert.Equal(bytes, await other.Artifacts.LoadAsync(put.Id, Ct));

        await backend.CorruptArtifactAsync(put.Id);
        var corrupt = await Assert.ThrowsAsync<ProblemException>(() => other.Artifacts.LoadAsync(put.Id, Ct));
        Assert.Equal(ProblemTypes.ArtifactCorrupt, corrupt.Type);
        Assert.True((await node.Artifacts.PutAsync(bytes, Ct)).Created);
        Assert.Equal(bytes, await other.Artifacts.LoadAsync(put.Id, Ct));

        await backend.LoseArtifactAsync(put.Id);
        Assert.Equal(ProblemTypes.ArtifactCorrupt, (await Assert.ThrowsAsync<ProblemException>(() => node.Artifacts.LoadAsync(put.Id, Ct))).Type);

        var empty = await node.Artifacts.PutAsync(ReadOnlyMemory<byte>.Empty, Ct);
        Assert.Empty(await other.Artifacts.LoadAsync(empty.Id, Ct));
        node.Artifacts.Delete(empty.Id);
        Assert.False(other.Artifacts.Exists(empty.Id));
    }

    private static AuditEntry Entry(string action, string subject) =>
        new(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), "admin (admin0000000000)", action, subject, null, "{}");

    private static async Task<List<AuditRecord>> AuditAsync(StoreSet node) => [.. await node.Audit.ListAsync(0, 10_000, null, Ct)];

    private static AlertEvent Event(long rule, DateTimeOffset at) => new(0, rule, "drift", "credit", "credit-risk:1", AlertTransitionKind.Fired,
        AlertSeverity.Warning, "drift.share", 0.5, 0.3, at, at, "income drifted", DeliveryStatus.Pending, 0, null);

    private static BaselineProfile Baseline(double shift)
    {
        var builder = new BaselineBuilder(["income"]);
        foreach (var value in Values(200, shift))
        {
            builder.Add([FeatureValue.Of(value)]);
        }

        return builder.Build();
    }

    private static IEnumerable<double> Values(int count, double shift)
    {
        var random = new Random(11);
        for (var i = 0; i < count; i++)
        {
            yield return shift + random.NextDouble();
        }
    }
}

/// <summary>The contract on SQLite (always runs).</summary>
public sealed class SqliteStoreContract : StoreContract
{
    protected override Task<StoreBackend> CreateBackendAsync() => Task.FromResult<StoreBackend>(new SqliteBackend());
}

/// <summary>The contract on PostgreSQL (skipped unless <c>ESCALA_TEST_POSTGRES</c> names a server).</summary>
public sealed class PostgresStoreContract : StoreContract
{
    protected override async Task<StoreBackend> CreateBackendAsync() => await PostgresBackend.CreateAsync();
}
