using Escala.Core.PredictionLog;
using Escala.Core.Routing;
using Escala.Server.Serving;

namespace Escala.Server.PredictionLog;

/// <summary>
/// Writes the served answer of a request to the prediction log when the request falls in its
/// endpoint's sample (a stable hash of the request id, so every node samples the same requests),
/// and tells the observers how the request ended. Called after the response is written.
/// </summary>
public sealed class PredictionRecorder(PredictionLogWriter log, PredictionExecutor executor)
{
    /// <summary>Whether the request's lines go to the log.</summary>
    public static bool InSample(PredictionContext context) => context.Snapshot.ShouldLog(context.RequestId);

    /// <summary>Records an answered (or failed) request; <paramref name="inputs"/> and <paramref name="outputs"/> are owned UTF-8 JSON.</summary>
    public void Record(PredictionContext context, PredictionOutcome outcome, TimeSpan latency, ReadOnlyMemory<byte> inputs, ReadOnlyMemory<byte> outputs)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(outcome);
        foreach (var observer in executor.Observers)
        {
            observer.AfterAnswer(context, outcome, latency);
        }

        if (!InSample(context) || outcome.Status is PredictionStatus.InvalidInput or PredictionStatus.Refused)
        {
            return;
        }

        log.TryWrite(new PredictionRecord(
            context.RequestId,
            context.ReceivedAt,
            context.Snapshot.Name,
            outcome.Version,
            context.Department,
            context.Subject,
            PredictionKind.Served,
            SourceName(outcome),
            outcome.RoutedFailure == AttemptFailure.None ? null : outcome.RoutedFailure.ToString().ToLowerInvariant(),
            inputs,
            outputs,
            (long)latency.TotalMicroseconds));
    }

    /// <summary>How the log and the API name where an answer came from.</summary>
    public static string SourceName(PredictionOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome.Status switch
        {
            PredictionStatus.Failed => "failed",
            PredictionStatus.InvalidInput => "invalid-input",
            PredictionStatus.Refused => "refused",
            _ => outcome.Source switch
            {
                AnswerSource.FallbackVersion => "fallback-version",
                AnswerSource.DefaultAnswer => "default-answer",
                _ => "routed",
            },
        };
    }
}
