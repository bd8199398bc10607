using Escala.Core.Audit;
using Escala.Core.Explanations;
using Escala.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Escala.Storage.Explanations;

/// <summary>Explanation backgrounds in <c>explanation_backgrounds</c>, one per version (Migrations/0009_governance.sql).</summary>
public sealed class SqliteExplanationBackgroundStore(SqliteDatabase database) : IExplanationBackgroundStore
{
    /// <inheritdoc/>
    public Task<ExplanationBackground?> FindAsync(string model, int version, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => connection.FirstOrDefaultAsync(
            "SELECT model, version, csv, row_count, created_at, created_by FROM explanation_backgrounds WHERE model = $model AND version = $version;",
            Read, ("$model", model), ("$version", version)), cancellationToken);

    /// <inheritdoc/>
    public Task SetAsync(ExplanationBackground background, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(background);
        return database.WriteAsync(async write =>
        {
            await write.ExecuteAsync(
                "INSERT INTO explanation_backgrounds (model, version, csv, row_count, created_at, created_by) " +
                "VALUES ($model, $version, $csv, $rows, $at, $by) " +
                "ON CONFLICT (model, version) DO UPDATE SET csv = excluded.csv, row_count = excluded.row_count, " +
                "created_at = excluded.created_at, created_by = excluded.created_by;",
                ("$model", background.Model), ("$version", background.Version), ("$csv", background.Csv), ("$rows", background.Rows),
                ("$at", SqliteValues.Timestamp(background.CreatedAt)), ("$by", background.CreatedBy));
            await write.AppendAuditAsync(audit);
        }, cancellationToken);
    }

    private static ExplanationBackground Read(SqliteDataReader r) =>
        new(r.GetString(0), r.GetInt32(1), r.GetString(2), r.GetInt32(3), r.ReadTimestamp(4), r.GetString(5));
}
