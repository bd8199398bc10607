using System.Globalization;
using Escala.Core.Monitoring.Accuracy;
using Escala.Core.Monitoring.Alerts;
using Escala.Core.Pipelines;
using Escala.Core.Scheduling;
using Escala.Training.Pipelines;
using Microsoft.Extensions.Logging;

namespace Escala.Server.Training;

/// <summary>
/// Starts pipeline runs from their triggers, on the one scheduler: a cron schedule that came due since the last cron
/// run (or since the pipeline was applied), a firing alert rule of an endpoint (any rule, or the one named), or a count
/// of ground-truth labels received since the pipeline's last run. A run is queued only while none of the pipeline is
/// queued or running and its cooldown has passed; the trigger and its reason are recorded on the run.
/// </summary>
public sealed partial class PipelineTriggerJob(
    PipelineCatalog catalog, IPipelineStore store, IAlertStore alerts, IFeedbackStore feedback, TimeProvider time, ILogger<PipelineTriggerJob> logger) : IScheduledJob
{
    /// <inheritdoc/>
    public string Name => "pipeline-triggers";

    /// <inheritdoc/>
    public TimeSpan Interval => TimeSpan.FromSeconds(5);

    /// <inheritdoc/>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredAlertState>? states = null;
        IReadOnlyList<AlertRuleSpec>? rules = null;
        foreach (var pipeline in await store.ListAsync(cancellationToken))
        {
            PipelineDefinition definition;
            try
            {
                definition = PipelineYaml.Parse(pipeline.Source);
            }
            catch (PipelineDefinitionException)
            {
                continue; // Checked when applied; an older revision a newer parser refuses starts nothing.
            }

            if (definition.Triggers.Count == 0)
            {
                continue;
            }

            var now = time.GetUtcNow();
            var runs = await store.ListRunsAsync(pipeline.Name, 100, cancellationToken);
            foreach (var trigger in definition.Triggers)
            {
                string? reason = null;
                switch (trigger.Kind)
                {
                    case "cron":
                        var last = runs.FirstOrDefault(r => r.Trigger.Kind == "cron")?.Trigger.At ?? pipeline.UpdatedAt;
                        var due = PipelineYaml.Cron(trigger.Cron!).GetNextOccurrence(last.UtcDateTime, TimeZoneInfo.Utc);
                        if (due is { } at && at <= now.UtcDateTime)
                        {
                            reason = $"cron '{trigger.Cron}' due at {at.ToString("u", CultureInfo.InvariantCulture)}";
                        }

                        break;
                    case "alert":
                        states ??= await alerts.ListStatesAsync(cancellationToken);
                        rules ??= await alerts.ListRulesAsync(null, cancellationToken);
                        var firing = rules.Where(r => r.Endpoint == trigger.Endpoint && (trigger.Rule is null || r.Name == trigger.Rule))
                            .Join(states.Where(s => s.State.Status == AlertStatus.Firing), r => r.Id, s => s.RuleId, (r, s) => (Rule: r, State: s))
                            .Where(p => runs.FirstOrDefault(r => r.Trigger.Kind == "alert") is not { } previous || p.State.State.FiredAt > previous.Trigger.At)
                            .FirstOrDefault();
                        if (firing.Rule is not null)
                        {
                            reason = $"alert '{firing.Rule.Name}' on {trigger.Endpoint} firing since {firing.State.State.FiredAt:u} (value {firing.State.LastValue:0.####})";
                        }

                        break;
                    case "labels":
                        var since = runs.FirstOrDefault()?.CreatedAt ?? pipeline.UpdatedAt;
                        var labels = await feedback.ListAsync(trigger.Endpoint!, since - TimeSpan.FromDays(30), cancellationToken);
                        var fresh = labels.Count(l => l.ReceivedAt > since);
                        if (fresh >= trigger.Count)
                        {
                            reason = $"{fresh} new labels on {trigger.Endpoint} since {since:u} (threshold {trigger.Count})";
                        }

                        break;
                }

                if (reason is not null && await catalog.TriggerAsync(pipeline, new RunTrigger(trigger.Kind, reason, now), cancellationToken) is { } run)
                {
                    LogTriggered(logger, run.Id, pipeline.Name, reason);
                    break; // one run per pass; the others wait for it (and the cooldown)
                }
            }
        }
    }

    [LoggerMessage(EventId = 8110, Level = LogLevel.Information, Message = "Pipeline run {Run} of {Pipeline} triggered: {Reason}")]
    private static partial void LogTriggered(ILogger logger, long run, string pipeline, string reason);
}
