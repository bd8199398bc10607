using Escala.Core.Audit;
using Escala.Core.Changes;
using Escala.Core.Monitoring.Baselines;
using Npgsql;

namespace Escala.Storage.Postgres;

/// <summary>Baseline profiles in <c>model_baselines</c>, one per version (see Migrations/0003_monitoring.sql).</summary>
public sealed class PostgresBaselineStore(PostgresDatabase database) : IBaselineStore
{
    /// <inheritdoc/>
    public Task<StoredBaseline?> FindAsync(string model, int version, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => connection.FirstOrDefaultAsync(
            "SELECT model, version, source, profile, created_at, created_by FROM model_baselines WHERE model = @model AND version = @version;",
            Read, ("@model", model), ("@version", version)), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyDictionary<int, BaselineSummary>> SummariesAsync(string model, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyDictionary<int, BaselineSummary>>(async connection =>
        {
            var rows = await connection.ListAsync(
                "SELECT model, version, source, profile, created_at, created_by FROM model_baselines WHERE model = @model ORDER BY version;",
                Read, ("@model", model));
            return rows.ToDictionary(b => b.Version, b => b.Summary());
        }, cancellationToken);

    /// <inheritdoc/>
    public Task SetAsync(StoredBaseline baseline, AuditEntry audit, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async write =>
        {
            await UpsertAsync(write, baseline);
            await write.AppendAuditAsync(audit);
        }, cancellationToken);

    /// <summary>Writes a baseline inside an open transaction (the registration stores a version and its baseline together).</summary>
    public static async Task UpsertAsync(PostgresWrite write, StoredBaseline baseline)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(baseline);
        await write.ExecuteAsync(
            "INSERT INTO model_baselines (model, version, source, row_count, profile, created_at, created_by) " +
            "VALUES (@model, @version, @source, @rows, @profile, @at, @by) " +
            "ON CONFLICT (model, version) DO UPDATE SET source = excluded.source, row_count = excluded.row_count, profile = excluded.profile, " +
            "created_at = excluded.created_at, created_by = excluded.created_by;",
            ("@model", baseline.Model), ("@version", baseline.Version), ("@source", SourceName(baseline.Source)),
            ("@rows", baseline.Profile.RowCount), ("@profile", baseline.Profile.ToJson()),
            ("@at", PostgresValues.Timestamp(baseline.CreatedAt)), ("@by", baseline.CreatedBy));
        await write.PublishChangeAsync(ChangeTopics.Baseline, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{baseline.Model}:{baseline.Version}"));
    }

    private static string SourceName(BaselineSource source) => source == BaselineSource.Predictions ? "predictions" : "reference";

    private static StoredBaseline Read(NpgsqlDataReader r) => new(
        r.GetString(0),
        r.GetInt32(1),
        BaselineProfile.FromJson(r.GetString(3)),
        r.GetString(2) == "predictions" ? BaselineSource.Predictions : BaselineSource.Reference,
        r.ReadTimestamp(4),
        r.GetString(5));
}
