using Escala.Core.Routing;
using Escala.Onnx.Tensors;
using Escala.Server.Serving;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Escala.Server.Monitoring.Live;

/// <summary>
/// Monitoring on the gateway's request path (its <see cref="IPredictionObserver"/> seam): before a version runs, the
/// data-quality policy (<c>reject</c> refuses naming the field); once the request has its outcome, the counters of
/// endpoint x version x department, the latency and, for an answer by a version, its drift window; a shadow's answer
/// feeds the shadow version's window. Off (not even called) with <c>Monitoring:Enabled=false</c>.
/// </summary>
public sealed partial class MonitoringObserver(PredictionMonitor monitor, IOptions<MonitoringOptions> options, ILogger<MonitoringObserver> logger) : IPredictionObserver
{
    /// <summary>How the series of a request answered by the endpoint's default answer is labelled.</summary>
    public const string DefaultAnswerTarget = "default";

    /// <summary>How the series of a request nothing answered is labelled.</summary>
    public const string NoTarget = "none";

    /// <inheritdoc/>
    public bool IsEnabled => options.Value.Enabled;

    /// <summary>Loads the monitor of every target of <paramref name="snapshot"/> before it serves, so its first requests are checked and windowed.</summary>
    public async ValueTask PrepareAsync(ServingSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        foreach (var target in snapshot.Targets)
        {
            try
            {
                await monitor.Monitors.GetAsync(snapshot.Name, target.Key, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
            {
                // The change goes ahead; the monitor is loaded again on the version's first request.
                LogFailed(logger, e, "preparing for", snapshot.Name, target.Key);
            }
        }
    }

    /// <inheritdoc/>
    public ObserverVerdict BeforeRun(PredictionContext context, TargetRuntime target, IReadOnlyDictionary<string, OnnxValue> inputs)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(target);
        try
        {
            var verdict = monitor.Check(context.Snapshot.Name, target.Key, inputs);
            return verdict.Refused ? ObserverVerdict.Refuse(verdict.Detail ?? "The inputs fail the endpoint's data-quality policy.", verdict.Field) : ObserverVerdict.Accept;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A monitoring bug must never cost an answer: the request runs unchecked and the bug is logged.
            LogFailed(logger, e, "checking", context.Snapshot.Name, target.Key);
            return ObserverVerdict.Accept;
        }
    }

    /// <inheritdoc/>
    public void AfterAnswer(PredictionContext context, PredictionOutcome outcome, TimeSpan latency)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(outcome);
        var (served, target) = Classify(outcome);
        try
        {
            monitor.Record(context.Snapshot.Name, target, context.Department, served, latency, outcome.Inputs, outcome.Outputs);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogFailed(logger, e, "recording", context.Snapshot.Name, target);
        }
    }

    /// <inheritdoc/>
    public void AfterShadow(
        PredictionContext context, TargetRuntime shadow, IReadOnlyDictionary<string, OnnxValue> inputs, Attempt<IReadOnlyDictionary<string, OnnxValue>> attempt, TimeSpan latency)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(shadow);
        if (!attempt.Succeeded || attempt.Answer is not { } outputs)
        {
            return;
        }

        try
        {
            monitor.RecordShadow(context.Snapshot.Name, shadow.Key, inputs, outputs);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogFailed(logger, e, "recording the shadow answer of", context.Snapshot.Name, shadow.Key);
        }
    }

    /// <summary>How monitoring counts an outcome, and under which version label.</summary>
    public static (ServingOutcome Outcome, string Target) Classify(PredictionOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome.Status switch
        {
            PredictionStatus.Answered when outcome.Source == AnswerSource.DefaultAnswer => (ServingOutcome.Fallback, DefaultAnswerTarget),
            PredictionStatus.Answered => (outcome.IsFallback ? ServingOutcome.Fallback : ServingOutcome.Answered, outcome.Target?.Key ?? NoTarget),
            PredictionStatus.Refused => (ServingOutcome.QualityRejected, outcome.Target?.Key ?? NoTarget),
            PredictionStatus.InvalidInput => (ServingOutcome.InvalidInput, outcome.Target?.Key ?? NoTarget),
            _ => (ServingOutcome.Failed, NoTarget),
        };
    }

    [LoggerMessage(EventId = 450, Level = LogLevel.Error, Message = "Monitoring failed {What} a request of {Endpoint} ({Target}); the request was not affected")]
    private static partial void LogFailed(ILogger logger, Exception exception, string what, string endpoint, string target);
}
