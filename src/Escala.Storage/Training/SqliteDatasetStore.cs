using Escala.Core.Artifacts;
using Escala.Core.Audit;
using Escala.Core.Datasets;
using Escala.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Escala.Storage.Training;

/// <summary>Dataset versions in the <c>datasets</c> table.</summary>
public sealed class SqliteDatasetStore(SqliteDatabase database) : IDatasetStore
{
    private const string Columns = "name, version, artifact, rows, columns, source, created_at, created_by";

    /// <inheritdoc/>
    public Task<DatasetVersion> AddAsync(DatasetVersion draft, Func<DatasetVersion, AuditEntry> audit, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async write =>
        {
            var next = await write.ScalarAsync<long>("SELECT coalesce(max(version), 0) + 1 FROM datasets WHERE name = $name;", ("$name", draft.Name));
            var version = draft with { Version = (int)next };
            await write.ExecuteAsync(
                $"INSERT INTO datasets ({Columns}) VALUES ($name, $version, $artifact, $rows, $columns, $source, $at, $by);",
                ("$name", version.Name), ("$version", version.Version), ("$artifact", version.Artifact.Sha256), ("$rows", version.Rows),
                ("$columns", SqliteValues.Json(version.Columns)), ("$source", version.Source),
                ("$at", SqliteValues.Timestamp(version.CreatedAt)), ("$by", version.CreatedBy));
            await write.AppendAuditAsync(audit(version));
            return version;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<DatasetVersion?> FindAsync(string name, int? version, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => version is { } v
            ? connection.FirstOrDefaultAsync($"SELECT {Columns} FROM datasets WHERE name = $name AND version = $version;", Read, ("$name", name), ("$version", v))
            : connection.FirstOrDefaultAsync($"SELECT {Columns} FROM datasets WHERE name = $name ORDER BY version DESC LIMIT 1;", Read, ("$name", name)),
            cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<DatasetVersion>> ListAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<DatasetVersion>>(async connection =>
            await connection.ListAsync($"SELECT {Columns} FROM datasets ORDER BY name, version;", Read), cancellationToken);

    private static DatasetVersion Read(SqliteDataReader r) => new(
        r.GetString(0), r.GetInt32(1), ArtifactId.Parse(r.GetString(2)).ToString(), r.GetInt64(3), r.ReadJson<DatasetColumn[]>(4),
        r.GetString(5), r.ReadTimestamp(6), r.GetString(7));
}
