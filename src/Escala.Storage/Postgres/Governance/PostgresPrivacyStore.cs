using System.Text.Json;
using Escala.Core.Audit;
using Escala.Core.Privacy;
using Npgsql;

namespace Escala.Storage.Postgres;

/// <summary>Privacy policies (PostgreSQL) in <c>privacy_policies</c>; erasure and retention delete from <c>prediction_log</c> and <c>feedback</c> (PostgreSQL's 0007_governance.sql).</summary>
public sealed class PostgresPrivacyStore(PostgresDatabase database) : IPrivacyStore
{
    /// <inheritdoc/>
    public Task<IReadOnlyList<StoredPrivacyPolicy>> ListAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<StoredPrivacyPolicy>>(async connection =>
            await connection.ListAsync("SELECT endpoint, policy, updated_at, updated_by FROM privacy_policies ORDER BY endpoint;", Read), cancellationToken);

    /// <inheritdoc/>
    public Task SetAsync(StoredPrivacyPolicy policy, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return database.WriteAsync(async write =>
        {
            await write.ExecuteAsync(
                "INSERT INTO privacy_policies (endpoint, policy, updated_at, updated_by) VALUES (@endpoint, @policy, @at, @by) " +
                "ON CONFLICT (endpoint) DO UPDATE SET policy = excluded.policy, updated_at = excluded.updated_at, updated_by = excluded.updated_by;",
                ("@endpoint", policy.Endpoint), ("@policy", ToJson(policy.Policy)), ("@at", PostgresValues.Timestamp(policy.UpdatedAt)), ("@by", policy.UpdatedBy));
            await write.AppendAuditAsync(audit);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<DeletedRows> EraseSubjectAsync(string endpoint, IReadOnlyList<string> subjectKeys, Func<DeletedRows, AuditEntry> audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectKeys);
        ArgumentNullException.ThrowIfNull(audit);
        return database.WriteAsync(async write =>
        {
            var labels = 0;
            var predictions = 0;
            foreach (var key in subjectKeys.Distinct(StringComparer.Ordinal))
            {
                labels += await write.ExecuteAsync(
                    "DELETE FROM feedback WHERE endpoint = @endpoint AND request_id IN " +
                    "(SELECT request_id FROM prediction_log WHERE endpoint = @endpoint AND subject = @subject);",
                    ("@endpoint", endpoint), ("@subject", key));
                predictions += await write.ExecuteAsync(
                    "DELETE FROM prediction_log WHERE endpoint = @endpoint AND subject = @subject;", ("@endpoint", endpoint), ("@subject", key));
            }

            var deleted = new DeletedRows(predictions, labels);
            await write.AppendAuditAsync(audit(deleted));
            return deleted;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<DeletedRows> PurgeAsync(string endpoint, DateTimeOffset? predictionsBefore, DateTimeOffset? labelsBefore, Func<DeletedRows, AuditEntry> audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audit);
        return database.WriteAsync(async write =>
        {
            var labels = labelsBefore is { } l
                ? await write.ExecuteAsync("DELETE FROM feedback WHERE endpoint = @endpoint AND predicted_at < @before;", ("@endpoint", endpoint), ("@before", PostgresValues.Timestamp(l)))
                : 0;
            var predictions = predictionsBefore is { } p
                ? await write.ExecuteAsync("DELETE FROM prediction_log WHERE endpoint = @endpoint AND at < @before;", ("@endpoint", endpoint), ("@before", PostgresValues.Timestamp(p)))
                : 0;
            var deleted = new DeletedRows(predictions, labels);
            if (predictions + labels > 0)
            {
                await write.AppendAuditAsync(audit(deleted));
            }

            return deleted;
        }, cancellationToken);
    }

    private static string ToJson(PrivacyPolicy policy) => JsonSerializer.Serialize(new PolicyJson(
        policy.Fields.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal), policy.Retention), Json);

    private static StoredPrivacyPolicy Read(NpgsqlDataReader r)
    {
        var json = JsonSerializer.Deserialize<PolicyJson>(r.GetString(1), Json)!;
        return new StoredPrivacyPolicy(r.GetString(0), PrivacyPolicy.From(json.Fields, json.Retention), r.ReadTimestamp(2), r.GetString(3));
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record PolicyJson(Dictionary<string, string> Fields, RetentionPolicy Retention);
}
