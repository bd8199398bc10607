using System.Text.Json;
using Escala.Core.Audit;
using Escala.Core.Fairness;
using Escala.Storage.Sqlite;

namespace Escala.Storage.Fairness;

/// <summary>Fairness evaluations in <c>fairness_evaluations</c>, as JSON, newest last (Migrations/0009_governance.sql).</summary>
public sealed class SqliteFairnessReportStore(SqliteDatabase database) : IFairnessReportStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <inheritdoc/>
    public Task AddAsync(FairnessEvaluation evaluation, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        return database.WriteAsync(async write =>
        {
            await write.ExecuteAsync(
                "INSERT INTO fairness_evaluations (model, version, evaluation, created_at, created_by) VALUES ($model, $version, $json, $at, $by);",
                ("$model", evaluation.Model), ("$version", evaluation.Version), ("$json", JsonSerializer.Serialize(evaluation, Json)),
                ("$at", SqliteValues.Timestamp(evaluation.CreatedAt)), ("$by", evaluation.CreatedBy));
            await write.AppendAuditAsync(audit);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<FairnessEvaluation?> LatestAsync(string model, int version, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => connection.FirstOrDefaultAsync(
            "SELECT evaluation FROM fairness_evaluations WHERE model = $model AND version = $version ORDER BY id DESC LIMIT 1;",
            r => JsonSerializer.Deserialize<FairnessEvaluation>(r.GetString(0), Json)!, ("$model", model), ("$version", version)), cancellationToken);
}
