using System.Globalization;
using Escala.Core.Access;
using Escala.Core.Audit;
using Escala.Core.Naming;
using Escala.Core.Pipelines;
using Escala.Core.Problems;

namespace Escala.Training.Pipelines;

/// <summary>A run with its steps.</summary>
public sealed record RunView(PipelineRun Run, IReadOnlyList<StepRun> Steps);

/// <summary>
/// Pipelines as users see them: apply a YAML file (checked before it is stored, every problem with its line), list
/// them, queue runs (manual or triggered; triggered runs only when none is active and the cooldown has passed),
/// read runs with their steps and logs, and cancel. Runs execute on the scheduler (<see cref="PipelineRunner"/>).
/// </summary>
public sealed class PipelineCatalog(IPipelineStore store, RunCancellation cancellation, TimeProvider time)
{
    /// <summary>Checks and stores <paramref name="yaml"/> as the next revision of its pipeline.</summary>
    public async Task<PipelineRecord> ApplyAsync(Principal caller, string yaml, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var definition = Parse(yaml);
        var now = time.GetUtcNow();
        var record = new PipelineRecord(definition.Name, 0, yaml, RunIdentity.For(definition.Name, caller), now, caller.AuditName);
        return await store.SaveAsync(record, saved => AuditEntry.Create(now, caller, "pipeline.apply",
            $"pipeline/{saved.Name}/revisions/{saved.Revision.ToString(CultureInfo.InvariantCulture)}", null, Summary(saved)), cancellationToken);
    }

    /// <summary>The parsed definition; throws invalid-pipeline listing every problem.</summary>
    public static PipelineDefinition Parse(string yaml)
    {
        try
        {
            return PipelineYaml.Parse(yaml ?? string.Empty);
        }
        catch (PipelineDefinitionException e)
        {
            throw ProblemTypes.InvalidPipeline.With(string.Join("; ", e.Errors) + ".");
        }
    }

    /// <summary>Every pipeline (latest revision).</summary>
    public Task<IReadOnlyList<PipelineRecord>> ListAsync(CancellationToken cancellationToken = default) => store.ListAsync(cancellationToken);

    /// <summary>The pipeline; throws not-found.</summary>
    public async Task<PipelineRecord> GetAsync(string name, CancellationToken cancellationToken = default) =>
        await store.FindAsync(ResourceName.Require("pipeline", name), null, cancellationToken)
            ?? throw ProblemTypes.NotFound.With($"There is no pipeline '{name}'. Apply one with `escala pipelines apply FILE.yaml`.");

    /// <summary>Queues a manual run with <paramref name="parameters"/> over the declared defaults.</summary>
    public async Task<PipelineRun> RunAsync(Principal caller, string name, IReadOnlyDictionary<string, string>? parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var pipeline = await GetAsync(name, cancellationToken);
        var now = time.GetUtcNow();
        var run = await EnqueueAsync(pipeline, caller, new RunTrigger("manual", $"by {caller.AuditName}", now), parameters, onlyWhenIdle: false, cancellationToken);
        return run!;
    }

    /// <summary>Queues a triggered run unless one is queued or running or the cooldown has not passed (null then).</summary>
    public async Task<PipelineRun?> TriggerAsync(PipelineRecord pipeline, RunTrigger trigger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        return await EnqueueAsync(pipeline, pipeline.Owner.ToPrincipal(), trigger, null, onlyWhenIdle: true, cancellationToken);
    }

    /// <summary>Runs, newest first.</summary>
    public async Task<IReadOnlyList<PipelineRun>> RunsAsync(string? pipeline, int limit, CancellationToken cancellationToken = default)
    {
        if (pipeline is not null)
        {
            await GetAsync(pipeline, cancellationToken);
        }

        return await store.ListRunsAsync(pipeline, Math.Clamp(limit, 1, 1000), cancellationToken);
    }

    /// <summary>A run with its steps; throws not-found.</summary>
    public async Task<RunView> ShowAsync(long id, CancellationToken cancellationToken = default)
    {
        var run = await store.FindRunAsync(id, cancellationToken)
            ?? throw ProblemTypes.NotFound.With($"There is no pipeline run {id.ToString(CultureInfo.InvariantCulture)}; `escala pipelines runs` lists them.");
        return new RunView(run, await store.ListStepsAsync(id, cancellationToken));
    }

    /// <summary>One step's record (with its log); throws not-found.</summary>
    public async Task<StepRun> StepAsync(long id, string step, CancellationToken cancellationToken = default)
    {
        var view = await ShowAsync(id, cancellationToken);
        return view.Steps.FirstOrDefault(s => s.Name == step)
            ?? throw ProblemTypes.NotFound.With($"Run {id.ToString(CultureInfo.InvariantCulture)} has no step '{step}'; its steps are {string.Join(", ", view.Steps.Select(s => s.Name))}.");
    }

    /// <summary>Cancels a queued run at once, or stops a running one at its current step.</summary>
    public async Task<PipelineRun> CancelAsync(Principal caller, long id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var run = await store.FindRunAsync(id, cancellationToken)
            ?? throw ProblemTypes.NotFound.With($"There is no pipeline run {id.ToString(CultureInfo.InvariantCulture)}.");
        if (run.IsFinished)
        {
            throw ProblemTypes.Conflict.With($"Run {id.ToString(CultureInfo.InvariantCulture)} already ended ({run.Status.ToString().ToLowerInvariant()}).");
        }

        var now = time.GetUtcNow();
        var after = await store.RequestCancelAsync(id, now, r => AuditEntry.Create(now, caller, "pipeline.run.cancel",
            $"pipeline/{run.Pipeline}/runs/{id.ToString(CultureInfo.InvariantCulture)}", run, r), cancellationToken);
        cancellation.Cancel(id);
        return after!;
    }

    private async Task<PipelineRun?> EnqueueAsync(
        PipelineRecord pipeline, Principal actor, RunTrigger trigger, IReadOnlyDictionary<string, string>? parameters, bool onlyWhenIdle, CancellationToken cancellationToken)
    {
        var definition = Parse(pipeline.Source);
        var values = new Dictionary<string, string>(definition.Parameters, StringComparer.Ordinal);
        foreach (var (key, value) in parameters ?? new Dictionary<string, string>())
        {
            if (!values.ContainsKey(key))
            {
                throw ProblemTypes.ValidationFailed.With($"The pipeline '{pipeline.Name}' has no parameter '{key}'; its parameters are {(values.Count == 0 ? "none" : string.Join(", ", values.Keys))}.");
            }

            values[key] = value;
        }

        var draft = new PipelineRun(0, pipeline.Name, pipeline.Revision, RunStatus.Queued, trigger, values, pipeline.Owner,
            trigger.At, null, null, null, null, false);
        return await store.EnqueueAsync(draft, onlyWhenIdle, definition.Cooldown, run => AuditEntry.Create(trigger.At, actor, "pipeline.run.queue",
            $"pipeline/{run.Pipeline}/runs/{run.Id.ToString(CultureInfo.InvariantCulture)}", null, run), cancellationToken);
    }

    private static object Summary(PipelineRecord record) => new { record.Name, record.Revision, record.UpdatedBy, Owner = record.Owner.Name };
}
