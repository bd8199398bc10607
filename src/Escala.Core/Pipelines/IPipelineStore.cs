using Escala.Core.Audit;

namespace Escala.Core.Pipelines;

/// <summary>Pipelines, their runs and steps. Runs are claimed by one node at a time and survive restarts.</summary>
public interface IPipelineStore
{
    /// <summary>Stores a new revision of the pipeline (revision = previous + 1) with its audit record.</summary>
    Task<PipelineRecord> SaveAsync(PipelineRecord pipeline, Func<PipelineRecord, AuditEntry> audit, CancellationToken cancellationToken = default);

    /// <summary>The latest revision, or a given one; null when absent.</summary>
    Task<PipelineRecord?> FindAsync(string name, int? revision = null, CancellationToken cancellationToken = default);

    /// <summary>The latest revision of every pipeline.</summary>
    Task<IReadOnlyList<PipelineRecord>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Queues a run (its id is assigned here). With <paramref name="onlyWhenIdle"/>, nothing is queued (null) while
    /// another run of the pipeline is queued or running, or one was created within <paramref name="cooldown"/> of it.
    /// </summary>
    Task<PipelineRun?> EnqueueAsync(PipelineRun draft, bool onlyWhenIdle, TimeSpan cooldown, Func<PipelineRun, AuditEntry> audit, CancellationToken cancellationToken = default);

    /// <summary>Marks the oldest queued run whose pipeline has no running run as running, and returns it.</summary>
    Task<PipelineRun?> ClaimNextAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces a step's record.</summary>
    Task SaveStepAsync(StepRun step, CancellationToken cancellationToken = default);

    /// <summary>Finishes a running run with its final status (and the steps not reached as skipped), audited.</summary>
    Task<PipelineRun> FinishAsync(long id, RunStatus status, string? failedStep, string? reason, DateTimeOffset at, Func<PipelineRun, AuditEntry> audit, CancellationToken cancellationToken = default);

    /// <summary>Asks a run to stop: a queued run is cancelled at once, a running one at its next check. Null when unknown; the run unchanged when finished.</summary>
    Task<PipelineRun?> RequestCancelAsync(long id, DateTimeOffset at, Func<PipelineRun, AuditEntry> audit, CancellationToken cancellationToken = default);

    /// <summary>Marks every run left running (by a node that stopped) as interrupted, with its running step stopped; returns them.</summary>
    Task<IReadOnlyList<PipelineRun>> InterruptRunningAsync(string reason, DateTimeOffset at, Func<PipelineRun, AuditEntry> audit, CancellationToken cancellationToken = default);

    /// <summary>The run, or null.</summary>
    Task<PipelineRun?> FindRunAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Runs, newest first, optionally of one pipeline.</summary>
    Task<IReadOnlyList<PipelineRun>> ListRunsAsync(string? pipeline, int limit, CancellationToken cancellationToken = default);

    /// <summary>The run's steps in execution order.</summary>
    Task<IReadOnlyList<StepRun>> ListStepsAsync(long runId, CancellationToken cancellationToken = default);

    /// <summary>The newest succeeded step of <paramref name="pipeline"/> named <paramref name="step"/> with this input hash, or null.</summary>
    Task<StepRun?> FindReusableStepAsync(string pipeline, string step, string inputHash, CancellationToken cancellationToken = default);
}
