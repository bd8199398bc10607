using Escala.Core.Audit;
using Escala.Core.Problems;
using Escala.Core.Registry;
using Npgsql;

namespace Escala.Storage.Postgres;

/// <summary>Stage changes and approval requests in PostgreSQL; a step is one transaction under the control-plane lock with optimistic checks, so an approval decided twice (on any nodes) applies once.</summary>
public sealed class PostgresPromotionStore(PostgresDatabase database) : IPromotionStore
{
    private const string Columns =
        "id, model, version, from_stage, to_stage, requested_by, requested_by_name, requested_at, comment, status, " +
        "decided_by, decided_by_name, decided_at, decision_comment";

    /// <inheritdoc/>
    public Task<ApprovalRequest?> FindRequestAsync(long id, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => connection.FirstOrDefaultAsync(
            $"SELECT {Columns} FROM approval_requests WHERE id = @id;", Read, ("@id", id)), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<ApprovalRequest>> ListRequestsAsync(ApprovalStatus? status, string? model, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<ApprovalRequest>>(async connection => await connection.ListAsync(
            $"SELECT {Columns} FROM approval_requests WHERE (@status::text IS NULL OR status = @status::text) AND (@model::text IS NULL OR model = @model::text) ORDER BY id DESC;",
            Read, ("@status", status is { } s ? StatusName(s) : null), ("@model", model)),
            cancellationToken);

    /// <inheritdoc/>
    public Task<ApprovalRequest> OpenRequestAsync(ApprovalDraft draft, Func<ApprovalRequest, AuditEntry> audit, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async write =>
        {
            var pending = await write.ScalarAsync<long?>(
                "SELECT id FROM approval_requests WHERE model = @model AND version = @version AND status = 'pending';",
                ("@model", draft.Model), ("@version", draft.Version));
            if (pending is { } existing)
            {
                throw ProblemTypes.Conflict.With(
                    $"{draft.Model}:{draft.Version} already has a pending approval request ({existing}); approve or reject it first.");
            }

            var id = await write.ScalarAsync<long>("SELECT coalesce(max(id), 0) + 1 FROM approval_requests;");
            var request = draft.AsRequest(id);
            await write.ExecuteAsync(
                $"INSERT INTO approval_requests ({Columns}) VALUES (@id, @model, @version, @from, @to, @by, @byName, @at, @comment, 'pending', NULL, NULL, NULL, NULL);",
                ("@id", id), ("@model", request.Model), ("@version", request.Version), ("@from", StageTransitions.ToName(request.From)),
                ("@to", StageTransitions.ToName(request.To)), ("@by", request.RequestedBy), ("@byName", request.RequestedByName),
                ("@at", PostgresValues.Timestamp(request.RequestedAt)), ("@comment", request.Comment));
            await write.AppendAuditAsync(audit(request));
            return request;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task ApplyAsync(PromotionStep step, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async write =>
        {
            if (step.Decision is { } decision)
            {
                var decided = await write.ExecuteAsync(
                    "UPDATE approval_requests SET status = @status, decided_by = @by, decided_by_name = @byName, decided_at = @at, decision_comment = @comment " +
                    "WHERE id = @id AND status = 'pending';",
                    ("@id", decision.RequestId), ("@status", StatusName(decision.Status)), ("@by", decision.DecidedBy),
                    ("@byName", decision.DecidedByName), ("@at", PostgresValues.Timestamp(decision.DecidedAt)), ("@comment", decision.Comment));
                if (decided != 1)
                {
                    throw ProblemTypes.Conflict.With($"Approval request {decision.RequestId} was decided by someone else in the meantime.");
                }
            }

            foreach (var update in step.Updates)
            {
                var moved = await write.ExecuteAsync(
                    "UPDATE model_versions SET stage = @to, stage_changed_at = @at WHERE model = @model AND version = @version AND stage = @from;",
                    ("@model", update.Model), ("@version", update.Version), ("@from", StageTransitions.ToName(update.From)),
                    ("@to", StageTransitions.ToName(update.To)), ("@at", PostgresValues.Timestamp(step.Audit.Count > 0 ? step.Audit[0].At : DateTimeOffset.UtcNow)));
                if (moved != 1)
                {
                    throw ProblemTypes.Conflict.With(
                        $"{update.Model}:{update.Version} is no longer in {StageTransitions.ToName(update.From)}; another change got there first. Nothing was changed; try again.");
                }
            }

            await write.AppendAuditAsync(step.Audit);
        }, cancellationToken);

    private static string StatusName(ApprovalStatus status) => status.ToString().ToLowerInvariant();

    private static ApprovalStatus ParseStatus(string name) => Enum.Parse<ApprovalStatus>(name, ignoreCase: true);

    private static ApprovalRequest Read(NpgsqlDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetInt32(2), StageTransitions.Parse(r.GetString(3)), StageTransitions.Parse(r.GetString(4)),
        r.GetString(5), r.GetString(6), r.ReadTimestamp(7), r.ReadStringOrNull(8), ParseStatus(r.GetString(9)),
        r.ReadStringOrNull(10), r.ReadStringOrNull(11), r.ReadTimestampOrNull(12), r.ReadStringOrNull(13));
}
