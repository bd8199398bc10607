using Escala.Core.Audit;
using Escala.Core.Pipelines;
using Escala.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Escala.Storage.Training;

/// <summary>Pipelines, runs and steps in <c>pipelines</c>, <c>pipeline_runs</c> and <c>pipeline_steps</c>.</summary>
public sealed class SqlitePipelineStore(SqliteDatabase database) : IPipelineStore
{
    private const string PipelineColumns = "name, revision, source, owner, updated_at, updated_by";
    private const string RunColumns = "id, pipeline, revision, status, trigger, parameters, identity, created_at, started_at, ended_at, failed_step, reason, cancel_requested";
    private const string StepColumns = "run_id, name, type, position, status, started_at, ended_at, input_hash, inputs, outputs, log, cached_from, reason";

    /// <inheritdoc/>
    public Task<PipelineRecord> SaveAsync(PipelineRecord pipeline, Func<PipelineRecord, AuditEntry> audit, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async write =>
        {
            var next = await write.ScalarAsync<long>("SELECT coalesce(max(revision), 0) + 1 FROM pipelines WHERE name = $name;", ("$name", pipeline.Name));
            var saved = pipeline with { Revision = (int)next };
            await write.ExecuteAsync(
                $"INSERT INTO pipelines ({PipelineColumns}) VALUES ($name, $revision, $source, $owner, $at, $by);",
                ("$name", saved.Name), ("$revision", saved.Revision), ("$source", saved.Source), ("$owner", SqliteValues.Json(saved.Owner)),
                ("$at", SqliteValues.Timestamp(saved.UpdatedAt)), ("$by", saved.UpdatedBy));
            await write.AppendAuditAsync(audit(saved));
            return saved;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<PipelineRecord?> FindAsync(string name, int? revision = null, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => revision is { } r
            ? connection.FirstOrDefaultAsync($"SELECT {PipelineColumns} FROM pipelines WHERE name = $name AND revision = $revision;", ReadPipeline, ("$name", name), ("$revision", r))
            : connection.FirstOrDefaultAsync($"SELECT {PipelineColumns} FROM pipelines WHERE name = $name ORDER BY revision DESC LIMIT 1;", ReadPipeline, ("$name", name)),
            cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<PipelineRecord>> ListAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<PipelineRecord>>(async connection => await connection.ListAsync(
            $"SELECT {PipelineColumns} FROM pipelines p WHERE revision = (SELECT max(revision) FROM pipelines q WHERE q.name = p.name) ORDER BY name;",
            ReadPipeline), cancellationToken);

    /// <inheritdoc/>
    public Task<PipelineRun?> EnqueueAsync(PipelineRun draft, bool onlyWhenIdle, TimeSpan cooldown, Func<PipelineRun, AuditEntry> audit, CancellationToken cancellationToken = default) =>
        database.WriteAsync<PipelineRun?>(async write =>
        {
            if (onlyWhenIdle)
            {
                var busy = await write.ScalarAsync<long>(
                    "SELECT count(*) FROM pipeline_runs WHERE pipeline = $pipeline AND (status IN ('queued', 'running') OR created_at > $since);",
                    ("$pipeline", draft.Pipeline), ("$since", SqliteValues.Timestamp(draft.CreatedAt - cooldown)));
                if (busy > 0)
                {
                    return null;
                }
            }

            var id = await write.ScalarAsync<long>(
                $"INSERT INTO pipeline_runs ({RunColumns}) VALUES (NULL, $pipeline, $revision, 'queued', $trigger, $parameters, $identity, $created, NULL, NULL, NULL, NULL, 0) RETURNING id;",
                ("$pipeline", draft.Pipeline), ("$revision", draft.Revision), ("$trigger", SqliteValues.Json(draft.Trigger)),
                ("$parameters", SqliteValues.Json(draft.Parameters)), ("$identity", SqliteValues.Json(draft.Identity)),
                ("$created", SqliteValues.Timestamp(draft.CreatedAt)));
            var run = draft with { Id = id, Status = RunStatus.Queued };
            await write.AppendAuditAsync(audit(run));
            return run;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<PipelineRun?> ClaimNextAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async write =>
        {
            var next = (await write.ListAsync(
                $"""
                SELECT {RunColumns} FROM pipeline_runs r WHERE status = 'queued'
                  AND NOT EXISTS (SELECT 1 FROM pipeline_runs o WHERE o.pipeline = r.pipeline AND o.status = 'running')
                ORDER BY id LIMIT 1;
                """, ReadRun)).FirstOrDefault();
            if (next is null)
            {
                return null;
            }

            await write.ExecuteAsync("UPDATE pipeline_runs SET status = 'running', started_at = $now WHERE id = $id AND status = 'queued';",
                ("$id", next.Id), ("$now", SqliteValues.Timestamp(now)));
            return next with { Status = RunStatus.Running, StartedAt = now };
        }, cancellationToken);

    /// <inheritdoc/>
    public Task SaveStepAsync(StepRun step, CancellationToken cancellationToken = default) =>
        database.WriteAsync(write => write.ExecuteAsync(
            $"INSERT OR REPLACE INTO pipeline_steps ({StepColumns}) VALUES ($run, $name, $type, $position, $status, $started, $ended, $hash, $inputs, $outputs, $log, $cached, $reason);",
            ("$run", step.RunId), ("$name", step.Name), ("$type", step.Type), ("$position", step.Position), ("$status", Text(step.Status)),
            ("$started", SqliteValues.Timestamp(step.StartedAt)), ("$ended", SqliteValues.Timestamp(step.EndedAt)), ("$hash", SqliteValues.OrNull(step.InputHash)),
            ("$inputs", SqliteValues.OrNull(step.Inputs)), ("$outputs", SqliteValues.OrNull(step.Outputs)), ("$log", step.Log),
            ("$cached", SqliteValues.OrNull(step.CachedFromRun)), ("$reason", SqliteValues.OrNull(step.Reason))), cancellationToken);

    /// <inheritdoc/>
    public Task<PipelineRun> FinishAsync(long id, RunStatus status, string? failedStep, string? reason, DateTimeOffset at, Func<PipelineRun, AuditEntry> audit, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async write =>
        {
            var run = await FindRunAsync(write, id) ?? throw new InvalidOperationException($"Run {id} vanished.");
            var finished = run with { Status = status, FailedStep = failedStep, Reason = reason, EndedAt = at };
            await write.ExecuteAsync(
                "UPDATE pipeline_runs SET status = $status, failed_step = $step, reason = $reason, ended_at = $at WHERE id = $id;",
                ("$id", id), ("$status", Text(status)), ("$step", SqliteValues.OrNull(failedStep)), ("$reason", SqliteValues.OrNull(reason)),
                ("$at", SqliteValues.Timestamp(at)));
            await write.ExecuteAsync("UPDATE pipeline_steps SET status = 'skipped' WHERE run_id = $id AND status = 'pending';", ("$id", id));
            await write.AppendAuditAsync(audit(finished));
            return finished;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<PipelineRun?> RequestCancelAsync(long id, DateTimeOffset at, Func<PipelineRun, AuditEntry> audit, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async write =>
        {
            var run = await FindRunAsync(write, id);
            if (run is null || run.IsFinished)
            {
                return run;
            }

            var after = run.Status == RunStatus.Queued
                ? run with { Status = RunStatus.Cancelled, CancelRequested = true, EndedAt = at, Reason = "cancelled before it started" }
                : run with { CancelRequested = true };
            await write.ExecuteAsync(
                "UPDATE pipeline_runs SET status = $status, cancel_requested = 1, ended_at = $ended, reason = $reason WHERE id = $id;",
                ("$id", id), ("$status", Text(after.Status)), ("$ended", SqliteValues.Timestamp(after.EndedAt)), ("$reason", SqliteValues.OrNull(after.Reason)));
            await write.AppendAuditAsync(audit(after));
            return after;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<PipelineRun>> InterruptRunningAsync(string reason, DateTimeOffset at, Func<PipelineRun, AuditEntry> audit, CancellationToken cancellationToken = default) =>
        database.WriteAsync<IReadOnlyList<PipelineRun>>(async write =>
        {
            var running = await write.ListAsync($"SELECT {RunColumns} FROM pipeline_runs WHERE status = 'running' ORDER BY id;", ReadRun);
            var interrupted = new List<PipelineRun>();
            foreach (var run in running)
            {
                var after = run with { Status = RunStatus.Interrupted, Reason = reason, EndedAt = at };
                var step = await write.ScalarAsync<string>("SELECT name FROM pipeline_steps WHERE run_id = $id AND status = 'running' ORDER BY position LIMIT 1;", ("$id", run.Id));
                after = after with { FailedStep = step };
                await write.ExecuteAsync("UPDATE pipeline_runs SET status = 'interrupted', reason = $reason, ended_at = $at, failed_step = $step WHERE id = $id;",
                    ("$id", run.Id), ("$reason", reason), ("$at", SqliteValues.Timestamp(at)), ("$step", SqliteValues.OrNull(step)));
                await write.ExecuteAsync("UPDATE pipeline_steps SET status = 'stopped', ended_at = $at, reason = $reason WHERE run_id = $id AND status = 'running';",
                    ("$id", run.Id), ("$reason", reason), ("$at", SqliteValues.Timestamp(at)));
                await write.ExecuteAsync("UPDATE pipeline_steps SET status = 'skipped' WHERE run_id = $id AND status = 'pending';", ("$id", run.Id));
                await write.AppendAuditAsync(audit(after));
                interrupted.Add(after);
            }

            return interrupted;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<PipelineRun?> FindRunAsync(long id, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => connection.FirstOrDefaultAsync($"SELECT {RunColumns} FROM pipeline_runs WHERE id = $id;", ReadRun, ("$id", id)), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<PipelineRun>> ListRunsAsync(string? pipeline, int limit, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<PipelineRun>>(async connection => pipeline is null
            ? await connection.ListAsync($"SELECT {RunColumns} FROM pipeline_runs ORDER BY id DESC LIMIT $limit;", ReadRun, ("$limit", limit))
            : await connection.ListAsync($"SELECT {RunColumns} FROM pipeline_runs WHERE pipeline = $pipeline ORDER BY id DESC LIMIT $limit;", ReadRun,
                ("$pipeline", pipeline), ("$limit", limit)), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<StepRun>> ListStepsAsync(long runId, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<StepRun>>(async connection =>
            await connection.ListAsync($"SELECT {StepColumns} FROM pipeline_steps WHERE run_id = $id ORDER BY position;", ReadStep, ("$id", runId)), cancellationToken);

    /// <inheritdoc/>
    public Task<StepRun?> FindReusableStepAsync(string pipeline, string step, string inputHash, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => connection.FirstOrDefaultAsync(
            $"""
            SELECT {string.Join(", ", StepColumns.Split(", ").Select(c => "s." + c))} FROM pipeline_steps s JOIN pipeline_runs r ON r.id = s.run_id
            WHERE r.pipeline = $pipeline AND s.name = $step AND s.input_hash = $hash AND s.status IN ('succeeded', 'cached')
            ORDER BY s.run_id DESC LIMIT 1;
            """, ReadStep, ("$pipeline", pipeline), ("$step", step), ("$hash", inputHash)), cancellationToken);

    private static async Task<PipelineRun?> FindRunAsync(SqliteWrite write, long id) =>
        (await write.ListAsync($"SELECT {RunColumns} FROM pipeline_runs WHERE id = $id;", ReadRun, ("$id", id))).FirstOrDefault();

    private static string Text<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static T Parse<T>(string value) where T : struct, Enum => Enum.Parse<T>(value, ignoreCase: true);

    private static PipelineRecord ReadPipeline(SqliteDataReader r) => new(
        r.GetString(0), r.GetInt32(1), r.GetString(2), r.ReadJson<RunIdentity>(3), r.ReadTimestamp(4), r.GetString(5));

    private static PipelineRun ReadRun(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetInt32(2), Parse<RunStatus>(r.GetString(3)), r.ReadJson<RunTrigger>(4),
        r.ReadJson<Dictionary<string, string>>(5), r.ReadJson<RunIdentity>(6), r.ReadTimestamp(7), r.ReadTimestampOrNull(8),
        r.ReadTimestampOrNull(9), r.ReadStringOrNull(10), r.ReadStringOrNull(11), r.GetInt64(12) != 0);

    private static StepRun ReadStep(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt32(3), Parse<StepStatus>(r.GetString(4)), r.ReadTimestampOrNull(5),
        r.ReadTimestampOrNull(6), r.ReadStringOrNull(7), r.ReadStringOrNull(8), r.ReadStringOrNull(9), r.GetString(10),
        r.IsDBNull(11) ? null : r.GetInt64(11), r.ReadStringOrNull(12));
}
