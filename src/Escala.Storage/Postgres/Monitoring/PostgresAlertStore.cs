using System.Text.Json;
using Escala.Core.Audit;
using Escala.Core.Changes;
using Escala.Core.Monitoring.Alerts;
using Npgsql;

namespace Escala.Storage.Postgres;

/// <summary>Alert rules, their states and their events in PostgreSQL; a rule change publishes an <c>alert-rules</c> revision.</summary>
public sealed class PostgresAlertStore(PostgresDatabase database) : IAlertStore
{
    private const string EventColumns = "id, " + InsertedEventColumns;

    // An event's id comes from its identity column: nodes evaluating at once never pick the same one.
    private const string InsertedEventColumns =
        "rule_id, rule, endpoint, series, kind, severity, metric, value, threshold, at, fired_at, detail, delivery, attempts, last_error";

    /// <inheritdoc/>
    public Task<AlertRuleSpec> AddRuleAsync(AlertRuleSpec rule, Func<AlertRuleSpec, AuditEntry> audit, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async write =>
        {
            ArgumentNullException.ThrowIfNull(rule);
            ArgumentNullException.ThrowIfNull(audit);
            var id = await write.ScalarAsync<long>("SELECT coalesce(max(id), 0) + 1 FROM alert_rules;");
            var stored = rule with { Id = id };
            await write.ExecuteAsync(
                "INSERT INTO alert_rules (id, endpoint, name, spec, created_at, created_by) VALUES (@id, @endpoint, @name, @spec, @at, @by);",
                ("@id", id), ("@endpoint", stored.Endpoint), ("@name", stored.Name), ("@spec", JsonSerializer.Serialize(stored, AuditJson.Options)),
                ("@at", PostgresValues.Timestamp(stored.CreatedAt)), ("@by", stored.CreatedBy));
            await write.AppendAuditAsync(audit(stored));
            await write.PublishChangeAsync(ChangeTopics.AlertRules, stored.Endpoint);
            return stored;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<AlertRuleSpec?> FindRuleAsync(long id, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => connection.FirstOrDefaultAsync("SELECT id, spec FROM alert_rules WHERE id = @id;", ReadRule, ("@id", id)), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<AlertRuleSpec>> ListRulesAsync(string? endpoint = null, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<AlertRuleSpec>>(async connection => endpoint is null
            ? await connection.ListAsync("SELECT id, spec FROM alert_rules ORDER BY id;", ReadRule)
            : await connection.ListAsync("SELECT id, spec FROM alert_rules WHERE endpoint = @endpoint ORDER BY id;", ReadRule, ("@endpoint", endpoint)),
            cancellationToken);

    /// <inheritdoc/>
    public Task<bool> RemoveRuleAsync(long id, AuditEntry audit, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async write =>
        {
            await write.ExecuteAsync("DELETE FROM alert_states WHERE rule_id = @id;", ("@id", id));
            if (await write.ExecuteAsync("DELETE FROM alert_rules WHERE id = @id;", ("@id", id)) == 0)
            {
                // Nothing to remove: the transaction commits no change and no audit record.
                return false;
            }

            await write.AppendAuditAsync(audit);
            await write.PublishChangeAsync(ChangeTopics.AlertRules, id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return true;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<StoredAlertState>> ListStatesAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<StoredAlertState>>(async connection => await connection.ListAsync(
            "SELECT rule_id, series, status, since, fired_at, last_value, updated_at FROM alert_states ORDER BY rule_id, series;",
            r => new StoredAlertState(
                r.GetInt64(0),
                r.GetString(1),
                new AlertState(Enum.Parse<AlertStatus>(r.GetString(2), ignoreCase: true), r.ReadTimestamp(3), r.ReadTimestampOrNull(4)),
                r.IsDBNull(5) ? double.NaN : r.GetDouble(5),
                r.ReadTimestamp(6))),
            cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<AlertEvent>> RecordAsync(IReadOnlyList<StoredAlertState> states, IReadOnlyList<AlertEvent> events, CancellationToken cancellationToken = default) =>
        database.WriteConcurrentAsync<IReadOnlyList<AlertEvent>>(async write =>
        {
            foreach (var s in states)
            {
                // A rule removed meanwhile has no state to keep.
                if (await write.ScalarAsync<long>("SELECT count(*) FROM alert_rules WHERE id = @id;", ("@id", s.RuleId)) == 0)
                {
                    continue;
                }

                await write.ExecuteAsync(
                    "INSERT INTO alert_states (rule_id, series, status, since, fired_at, last_value, updated_at) VALUES (@rule, @series, @status, @since, @fired, @value, @at) " +
                    "ON CONFLICT (rule_id, series) DO UPDATE SET status = excluded.status, since = excluded.since, fired_at = excluded.fired_at, " +
                    "last_value = excluded.last_value, updated_at = excluded.updated_at;",
                    ("@rule", s.RuleId), ("@series", s.Series), ("@status", Name(s.State.Status)), ("@since", PostgresValues.Timestamp(s.State.Since)),
                    ("@fired", PostgresValues.Timestamp(s.State.FiredAt)), ("@value", Real(s.LastValue)), ("@at", PostgresValues.Timestamp(s.UpdatedAt)));
            }

            var stored = new List<AlertEvent>(events.Count);
            foreach (var e in events)
            {
                var id = await write.ScalarAsync<long>(
                    $"INSERT INTO alert_events ({InsertedEventColumns}) VALUES (@rule, @name, @endpoint, @series, @kind, @severity, @metric, @value, @threshold, @at, @fired, @detail, @delivery, @attempts, @error) RETURNING id;",
                    ("@rule", e.RuleId), ("@name", e.Rule), ("@endpoint", e.Endpoint), ("@series", e.Series), ("@kind", Name(e.Kind)),
                    ("@severity", Name(e.Severity)), ("@metric", e.Metric), ("@value", Real(e.Value)), ("@threshold", e.Threshold),
                    ("@at", PostgresValues.Timestamp(e.At)), ("@fired", PostgresValues.Timestamp(e.FiredAt)), ("@detail", e.Detail),
                    ("@delivery", Name(e.Delivery)), ("@attempts", e.Attempts), ("@error", e.LastError));
                stored.Add(e with { Id = id });
            }

            return stored;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task UpdateDeliveryAsync(long eventId, DeliveryStatus status, int attempts, string? lastError, CancellationToken cancellationToken = default) =>
        database.WriteConcurrentAsync(write => write.ExecuteAsync(
            "UPDATE alert_events SET delivery = @delivery, attempts = @attempts, last_error = @error WHERE id = @id;",
            ("@id", eventId), ("@delivery", Name(status)), ("@attempts", attempts), ("@error", lastError)), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<AlertEvent>> ListEventsAsync(string? endpoint, long? before, int limit, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<AlertEvent>>(async connection => await connection.ListAsync(
            $"SELECT {EventColumns} FROM alert_events WHERE (@endpoint::text IS NULL OR endpoint = @endpoint::text) AND (@before::bigint IS NULL OR id < @before::bigint) ORDER BY id DESC LIMIT @limit;",
            ReadEvent, ("@endpoint", endpoint), ("@before", before), ("@limit", limit)), cancellationToken);

    private static AlertRuleSpec ReadRule(NpgsqlDataReader r) =>
        (JsonSerializer.Deserialize<AlertRuleSpec>(r.GetString(1), AuditJson.Options) ?? throw new InvalidDataException("An alert rule is stored as JSON null.")) with { Id = r.GetInt64(0) };

    private static AlertEvent ReadEvent(NpgsqlDataReader r) => new(
        r.GetInt64(0),
        r.GetInt64(1),
        r.GetString(2),
        r.GetString(3),
        r.GetString(4),
        Enum.Parse<AlertTransitionKind>(r.GetString(5), ignoreCase: true),
        Enum.Parse<AlertSeverity>(r.GetString(6), ignoreCase: true),
        r.GetString(7),
        r.IsDBNull(8) ? double.NaN : r.GetDouble(8),
        r.GetDouble(9),
        r.ReadTimestamp(10),
        r.ReadTimestamp(11),
        r.ReadStringOrNull(12),
        Enum.Parse<DeliveryStatus>(r.GetString(13), ignoreCase: true),
        r.GetInt32(14),
        r.ReadStringOrNull(15));

    // NaN is stored as NULL, as in SQLite.
    private static object Real(double value) => double.IsFinite(value) ? value : DBNull.Value;

    private static string Name<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
}
