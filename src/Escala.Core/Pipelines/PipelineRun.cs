using Escala.Core.Access;

namespace Escala.Core.Pipelines;

/// <summary>Where a run is.</summary>
public enum RunStatus
{
    /// <summary>Waiting for the scheduler.</summary>
    Queued,

    /// <summary>A node is executing it.</summary>
    Running,

    /// <summary>Every step succeeded (or was reused).</summary>
    Succeeded,

    /// <summary>A step failed; the run stopped there.</summary>
    Failed,

    /// <summary>Someone cancelled it.</summary>
    Cancelled,

    /// <summary>The server stopped while it ran.</summary>
    Interrupted,
}

/// <summary>Where a step is.</summary>
public enum StepStatus
{
    /// <summary>Not reached yet.</summary>
    Pending,

    /// <summary>Executing.</summary>
    Running,

    /// <summary>Done.</summary>
    Succeeded,

    /// <summary>Done earlier with the same inputs: the earlier outputs were reused.</summary>
    Cached,

    /// <summary>Failed, with a reason.</summary>
    Failed,

    /// <summary>Stopped by a cancel or a shutdown.</summary>
    Stopped,

    /// <summary>Not run because an earlier step failed or the run was stopped.</summary>
    Skipped,
}

/// <summary>What started a run: <c>manual</c>, <c>cron</c>, <c>alert</c> or <c>labels</c>, with a human-readable detail.</summary>
public sealed record RunTrigger(string Kind, string Detail, DateTimeOffset At);

/// <summary>The identity a run acts as: the key that applied or started it, named after the pipeline in the audit log.</summary>
public sealed record RunIdentity(string KeyId, string Name, Role Role, IReadOnlyList<string> Departments)
{
    /// <summary>The principal the run's registry and endpoint changes are made (and audited) as.</summary>
    public Principal ToPrincipal() => new(KeyId, Name, Role, [.. Departments]);

    /// <summary>The identity of pipeline <paramref name="pipeline"/> acting for <paramref name="owner"/>.</summary>
    public static RunIdentity For(string pipeline, Principal owner) =>
        new(owner.KeyId, $"pipeline:{pipeline}", owner.Role, owner.Departments.IsDefault ? [] : owner.Departments.ToArray());
}

/// <summary>One run of a pipeline.</summary>
/// <param name="Id">1, 2, ... across all pipelines.</param>
/// <param name="Pipeline">The pipeline.</param>
/// <param name="Revision">The pipeline revision it runs (the definition is read from it).</param>
/// <param name="Status">Where it is.</param>
/// <param name="Trigger">What started it.</param>
/// <param name="Parameters">Parameter values (defaults filled in).</param>
/// <param name="Identity">Who it acts as.</param>
/// <param name="CreatedAt">Queued at.</param>
/// <param name="StartedAt">Claimed at.</param>
/// <param name="EndedAt">Finished at.</param>
/// <param name="FailedStep">The step that failed or was stopped.</param>
/// <param name="Reason">Why it failed, was cancelled or interrupted.</param>
/// <param name="CancelRequested">Someone asked to cancel it.</param>
public sealed record PipelineRun(
    long Id,
    string Pipeline,
    int Revision,
    RunStatus Status,
    RunTrigger Trigger,
    IReadOnlyDictionary<string, string> Parameters,
    RunIdentity Identity,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    string? FailedStep,
    string? Reason,
    bool CancelRequested)
{
    /// <summary>True once it can change no more.</summary>
    public bool IsFinished => Status is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Cancelled or RunStatus.Interrupted;
}

/// <summary>One step of a run: status, times, the hash of its resolved inputs, inputs and outputs (JSON) and its log.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Name">The step's name.</param>
/// <param name="Type">The step's type.</param>
/// <param name="Position">Execution order, from 0.</param>
/// <param name="Status">Where it is.</param>
/// <param name="StartedAt">Started at.</param>
/// <param name="EndedAt">Ended at.</param>
/// <param name="InputHash">SHA-256 of the step type and its resolved inputs (data fingerprints included): equal hashes may reuse outputs.</param>
/// <param name="Inputs">Resolved inputs as JSON.</param>
/// <param name="Outputs">Outputs as JSON (artifacts as <c>sha256:</c> ids).</param>
/// <param name="Log">What the step wrote.</param>
/// <param name="CachedFromRun">The run whose outputs were reused.</param>
/// <param name="Reason">Why it failed or stopped.</param>
public sealed record StepRun(
    long RunId,
    string Name,
    string Type,
    int Position,
    StepStatus Status,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    string? InputHash,
    string? Inputs,
    string? Outputs,
    string Log,
    long? CachedFromRun,
    string? Reason);

/// <summary>A stored pipeline: the YAML as applied, its revision (1, 2, ...) and who applied it (its runs act for them).</summary>
public sealed record PipelineRecord(string Name, int Revision, string Source, RunIdentity Owner, DateTimeOffset UpdatedAt, string UpdatedBy);
