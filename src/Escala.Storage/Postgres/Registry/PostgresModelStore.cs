using System.Collections.Immutable;
using System.Text;
using Escala.Core.Artifacts;
using Escala.Core.Audit;
using Escala.Core.Registry;
using Npgsql;

namespace Escala.Storage.Postgres;

/// <summary>Models, versions, aliases and cards in PostgreSQL; version numbers are assigned under the control-plane lock, so racing registrations get consecutive numbers.</summary>
public sealed class PostgresModelStore(PostgresDatabase database) : IModelStore
{
    private const string ModelColumns = "name, description, department, require_approval, created_at, created_by, updated_at";

    private const string VersionColumns =
        "model, version, artifact_sha256, size_bytes, description, metrics, params, tags, data_fingerprint, pipeline_run, " +
        "code_revision, parent_model, parent_version, signature, stage, created_at, created_by";

    /// <inheritdoc/>
    public Task<Model?> FindModelAsync(string name, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => connection.FirstOrDefaultAsync(
            $"SELECT {ModelColumns} FROM models WHERE name = @name;", ReadModel, ("@name", name)), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<ModelSummary>> ListModelsAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<ModelSummary>>(async connection => await connection.ListAsync(
            "SELECT m.name, m.description, m.department, m.require_approval, m.created_at, m.created_by, m.updated_at, " +
            "count(v.version)::int, max(v.version), max(CASE WHEN v.stage = 'production' THEN v.version END) " +
            "FROM models m LEFT JOIN model_versions v ON v.model = m.name GROUP BY m.name ORDER BY m.name;",
            r => new ModelSummary(
                ReadModel(r), r.GetInt32(7), r.IsDBNull(8) ? null : r.GetInt32(8), r.IsDBNull(9) ? null : r.GetInt32(9))),
            cancellationToken);

    /// <inheritdoc/>
    public Task UpdateModelAsync(Model model, AuditEntry audit, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async write =>
        {
            await write.ExecuteAsync(
                "UPDATE models SET description = @description, department = @department, require_approval = @approval, updated_at = @updated WHERE name = @name;",
                ("@name", model.Name), ("@description", model.Description), ("@department", model.Department),
                ("@approval", model.RequireApproval), ("@updated", PostgresValues.Timestamp(model.UpdatedAt)));
            await write.AppendAuditAsync(audit);
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<RegisteredVersion> AddVersionAsync(
        VersionRegistration registration, Func<RegisteredVersion, IReadOnlyList<AuditEntry>> audit, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async write =>
        {
            var draft = registration.Draft;
            var created = false;
            if (registration.CreateModelIfMissing is { } model
                && await write.ScalarAsync<long>("SELECT count(*) FROM models WHERE name = @name;", ("@name", model.Name)) == 0)
            {
                await write.ExecuteAsync(
                    $"INSERT INTO models ({ModelColumns}) VALUES (@name, @description, @department, @approval, @created, @by, @updated);",
                    ("@name", model.Name), ("@description", model.Description), ("@department", model.Department),
                    ("@approval", model.RequireApproval), ("@created", PostgresValues.Timestamp(model.CreatedAt)),
                    ("@by", model.CreatedBy), ("@updated", PostgresValues.Timestamp(model.UpdatedAt)));
                created = true;
            }

            var number = (int)(await write.ScalarAsync<long>("SELECT coalesce(max(version), 0) FROM model_versions WHERE model = @model;", ("@model", draft.Model)) + 1);
            var version = draft.AsVersion(number);
            await write.ExecuteAsync(
                $"INSERT INTO model_versions ({VersionColumns}, stage_changed_at) VALUES (@model, @version, @sha, @size, @description, @metrics, @params, @tags, " +
                "@fingerprint, @run, @revision, @parentModel, @parentVersion, @signature, @stage, @created, @by, @created);",
                ("@model", version.Model), ("@version", version.Version), ("@sha", version.Artifact.Sha256), ("@size", version.SizeBytes),
                ("@description", version.Description), ("@metrics", PostgresValues.Json(version.Metrics)), ("@params", PostgresValues.Json(version.Params)),
                ("@tags", PostgresValues.Json(version.Tags)), ("@fingerprint", version.Lineage.DataFingerprint), ("@run", version.Lineage.PipelineRun),
                ("@revision", version.Lineage.CodeRevision), ("@parentModel", version.Lineage.Parent?.Model), ("@parentVersion", version.Lineage.Parent?.Version),
                ("@signature", version.Signature is null ? null : PostgresValues.Json(version.Signature)), ("@stage", StageTransitions.ToName(version.Stage)),
                ("@created", PostgresValues.Timestamp(version.CreatedAt)), ("@by", version.CreatedBy));
            if (registration.CardMarkdown is { } markdown)
            {
                await UpsertCardAsync(write, new ModelCard(version.Model, version.Version, markdown, version.CreatedAt, version.CreatedBy));
            }

            if (registration.Baseline is { } baseline)
            {
                await PostgresBaselineStore.UpsertAsync(write, new Core.Monitoring.Baselines.StoredBaseline(
                    version.Model, version.Version, baseline, Core.Monitoring.Baselines.BaselineSource.Reference, version.CreatedAt, version.CreatedBy));
            }

            var registered = new RegisteredVersion(version, created);
            await write.AppendAuditAsync(audit(registered));
            return registered;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<ModelVersion?> FindVersionAsync(string model, int version, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => connection.FirstOrDefaultAsync(
            $"SELECT {VersionColumns} FROM model_versions WHERE model = @model AND version = @version;",
            ReadVersion, ("@model", model), ("@version", version)), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<ModelVersion>> ListVersionsAsync(string model, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<ModelVersion>>(async connection => await connection.ListAsync(
            $"SELECT {VersionColumns} FROM model_versions WHERE model = @model ORDER BY version;", ReadVersion, ("@model", model)),
            cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<ModelVersion>> FindByLineageAsync(LineageQuery query, CancellationToken cancellationToken = default)
    {
        var where = new StringBuilder();
        var parameters = new List<(string, object?)>();
        void Match(string column, string parameter, object? value)
        {
            if (value is null)
            {
                return;
            }

            where.Append(where.Length == 0 ? " WHERE " : " AND ").Append(column).Append(" = ").Append(parameter);
            parameters.Add((parameter, value));
        }

        Match("data_fingerprint", "@fingerprint", query.DataFingerprint);
        Match("pipeline_run", "@run", query.PipelineRun);
        Match("code_revision", "@revision", query.CodeRevision);
        Match("parent_model", "@parentModel", query.Parent?.Model);
        Match("parent_version", "@parentVersion", query.Parent?.Version);
        return database.ReadAsync<IReadOnlyList<ModelVersion>>(async connection => await connection.ListAsync(
            $"SELECT {VersionColumns} FROM model_versions{where} ORDER BY model, version;", ReadVersion, [.. parameters]),
            cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ModelAlias>> ListAliasesAsync(string model, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<ModelAlias>>(async connection => await connection.ListAsync(
            "SELECT model, alias, version, updated_at, updated_by FROM model_aliases WHERE model = @model ORDER BY alias;",
            ReadAlias, ("@model", model)), cancellationToken);

    /// <inheritdoc/>
    public Task<ModelAlias?> FindAliasAsync(string model, string alias, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => connection.FirstOrDefaultAsync(
            "SELECT model, alias, version, updated_at, updated_by FROM model_aliases WHERE model = @model AND alias = @alias;",
            ReadAlias, ("@model", model), ("@alias", alias)), cancellationToken);

    /// <inheritdoc/>
    public Task SetAliasAsync(ModelAlias alias, AuditEntry audit, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async write =>
        {
            await write.ExecuteAsync(
                "INSERT INTO model_aliases (model, alias, version, updated_at, updated_by) VALUES (@model, @alias, @version, @at, @by) " +
                "ON CONFLICT (model, alias) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at, updated_by = excluded.updated_by;",
                ("@model", alias.Model), ("@alias", alias.Alias), ("@version", alias.Version),
                ("@at", PostgresValues.Timestamp(alias.UpdatedAt)), ("@by", alias.UpdatedBy));
            await write.AppendAuditAsync(audit);
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<bool> RemoveAliasAsync(string model, string alias, AuditEntry audit, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async write =>
        {
            if (await write.ExecuteAsync("DELETE FROM model_aliases WHERE model = @model AND alias = @alias;", ("@model", model), ("@alias", alias)) == 0)
            {
                return false;
            }

            await write.AppendAuditAsync(audit);
            return true;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<ModelCard?> FindCardAsync(string model, int version, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => connection.FirstOrDefaultAsync(
            "SELECT model, version, markdown, updated_at, updated_by FROM model_cards WHERE model = @model AND version = @version;",
            r => new ModelCard(r.GetString(0), r.GetInt32(1), r.GetString(2), r.ReadTimestamp(3), r.GetString(4)),
            ("@model", model), ("@version", version)), cancellationToken);

    /// <inheritdoc/>
    public Task SetCardAsync(ModelCard card, AuditEntry audit, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async write =>
        {
            await UpsertCardAsync(write, card);
            await write.AppendAuditAsync(audit);
        }, cancellationToken);

    private static Task<int> UpsertCardAsync(PostgresWrite write, ModelCard card) => write.ExecuteAsync(
        "INSERT INTO model_cards (model, version, markdown, updated_at, updated_by) VALUES (@model, @version, @markdown, @at, @by) " +
        "ON CONFLICT (model, version) DO UPDATE SET markdown = excluded.markdown, updated_at = excluded.updated_at, updated_by = excluded.updated_by;",
        ("@model", card.Model), ("@version", card.Version), ("@markdown", card.Markdown),
        ("@at", PostgresValues.Timestamp(card.UpdatedAt)), ("@by", card.UpdatedBy));

    private static Model ReadModel(NpgsqlDataReader r) => new(
        r.GetString(0), r.ReadStringOrNull(1), r.ReadStringOrNull(2), r.GetBoolean(3), r.ReadTimestamp(4), r.GetString(5), r.ReadTimestamp(6));

    private static ModelAlias ReadAlias(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetInt32(2), r.ReadTimestamp(3), r.GetString(4));

    private static ModelVersion ReadVersion(NpgsqlDataReader r) => new(
        r.GetString(0),
        r.GetInt32(1),
        ArtifactId.Parse(r.GetString(2)),
        r.GetInt64(3),
        r.ReadStringOrNull(4),
        r.ReadJson<ImmutableSortedDictionary<string, double>>(5).WithComparers(StringComparer.Ordinal),
        r.ReadJson<ImmutableSortedDictionary<string, string>>(6).WithComparers(StringComparer.Ordinal),
        r.ReadJson<ImmutableSortedDictionary<string, string>>(7).WithComparers(StringComparer.Ordinal),
        new Lineage(
            r.ReadStringOrNull(8),
            r.ReadStringOrNull(9),
            r.ReadStringOrNull(10),
            r.IsDBNull(11) ? null : new VersionRef(r.GetString(11), r.GetInt32(12))),
        r.ReadJsonOrNull<ModelSignature>(13),
        StageTransitions.Parse(r.GetString(14)),
        r.ReadTimestamp(15),
        r.GetString(16));
}
