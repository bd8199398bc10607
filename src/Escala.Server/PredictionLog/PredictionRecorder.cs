using System.Diagnostics;
using Escala.Core.PredictionLog;
using Escala.Core.Routing;
using Escala.Server.Serving;

namespace Escala.Server.PredictionLog;

/// <summary>
/// Writes the served answer of a request to the prediction log when the request falls in its
/// endpoint's sample (a stable hash of the request id, so every node samples the same requests),
/// and tells the observers how the request ended. The line is queued before the answer is written,
/// so a caller holding an answer can count on its line being at least queued (a label posted at once
/// waits for it, see <see cref="PredictionLogWriter.FlushAsync"/>); in durable mode the answer waits
/// until the line is committed. The observers are told after the answer is written.
/// </summary>
public sealed class PredictionRecorder(PredictionLogWriter log, PredictionExecutor executor)
{
    private static readonly Task<bool> Done = Task.FromResult(true);

    /// <summary>Whether the request's lines go to the log.</summary>
    public static bool InSample(PredictionContext context) => context.Snapshot.ShouldLog(context.RequestId);

    /// <summary>
    /// Logs an answered (or failed) request; <paramref name="inputs"/> and <paramref name="outputs"/> are owned UTF-8 JSON.
    /// Completes at once unless the log is durable; false when a durable log could not store the line.
    /// </summary>
    public Task<bool> LogAsync(PredictionContext context, PredictionOutcome outcome, ReadOnlyMemory<byte> inputs, ReadOnlyMemory<byte> outputs)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(outcome);
        if (!InSample(context) || outcome.Status is PredictionStatus.InvalidInput or PredictionStatus.Refused)
        {
            return Done;
        }

        var line = new PredictionRecord(
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
            (long)Stopwatch.GetElapsedTime(context.StartTimestamp).TotalMicroseconds);
        if (log.IsDurable)
        {
            return log.WriteDurableAsync(line);
        }

        log.TryWrite(line);
        return Done;
    }

    /// <summary>Tells the observers how the request ended (after the answer is written).</summary>
    public void Observe(PredictionContext context, PredictionOutcome outcome, TimeSpan latency)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(outcome);
        foreach (var observer in executor.Observers)
        {
            observer.AfterAnswer(context, outcome, latency);
        }
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
