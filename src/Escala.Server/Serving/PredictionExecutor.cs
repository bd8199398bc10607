using System.Diagnostics;
using Escala.Core.Routing;
using Escala.Onnx.Tensors;

namespace Escala.Server.Serving;

/// <summary>
/// Runs one prediction along its fallback chain: decode the inputs for the target, let observers
/// inspect them, call the target through its guard (breaker and deadline), and on error, timeout,
/// open circuit or an unavailable target move to the fallback version, then the default answer.
/// Every branch is on an outcome value; nothing here throws for a target's failure, takes a lock
/// or touches a database.
/// </summary>
public sealed class PredictionExecutor(IEnumerable<IPredictionObserver> observers)
{
    private readonly IPredictionObserver[] _observers = [.. observers.Where(o => o.IsEnabled)];

    /// <summary>The enabled observers, resolved once.</summary>
    public ReadOnlySpan<IPredictionObserver> Observers => _observers;

    /// <summary>Runs the chain starting at target <paramref name="primary"/> of the context's snapshot.</summary>
    public async ValueTask<PredictionOutcome> RunAsync(PredictionContext context, int primary, IPredictionPayload payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(payload);
        var snapshot = context.Snapshot;
        var chain = snapshot.ChainFor(primary);
        var step = chain.First;
        var routedFailure = AttemptFailure.None;
        string? routedDetail = null;
        var lastFailure = AttemptFailure.None;
        string? lastDetail = null;

        // Without a deadline the token stays uncancellable, which lets a local model run inline.
        var token = snapshot.Deadline > TimeSpan.Zero ? cancellationToken : CancellationToken.None;
        while (true)
        {
            switch (step.Stage)
            {
                case FallbackStage.DefaultAnswer:
                    return new PredictionOutcome(PredictionStatus.Answered, AnswerSource.DefaultAnswer, null, null, null, snapshot.DefaultAnswer, routedFailure, routedDetail);
                case FallbackStage.Fail:
                    return new PredictionOutcome(PredictionStatus.Failed, AnswerSource.Routed, null, null, null, null, routedFailure, lastDetail) { LastFailure = lastFailure };
            }

            var target = snapshot.Targets[step.Target];
            Attempt<IReadOnlyDictionary<string, OnnxValue>> attempt;
            IReadOnlyDictionary<string, OnnxValue>? inputs = null;
            if (!target.Backend.IsAvailable)
            {
                attempt = Attempt<IReadOnlyDictionary<string, OnnxValue>>.Failed(AttemptFailure.Unavailable, ((UnavailableBackend)target.Backend).Reason);
            }
            else if (!payload.TryDecode(target.Backend.Inputs, out inputs, out var problem))
            {
                if (step.Source == AnswerSource.Routed)
                {
                    return new PredictionOutcome(PredictionStatus.InvalidInput, step.Source, target, null, null, null, AttemptFailure.InvalidInput, problem);
                }

                // The request fits the routed version but not this fallback: it cannot help.
                attempt = Attempt<IReadOnlyDictionary<string, OnnxValue>>.Failed(AttemptFailure.InvalidInput, problem);
            }
            else
            {
                foreach (var observer in _observers)
                {
                    var verdict = observer.BeforeRun(context, target, inputs);
                    if (verdict.Refused)
                    {
                        return new PredictionOutcome(PredictionStatus.Refused, step.Source, target, inputs, null, null, AttemptFailure.InvalidInput, verdict.Detail, verdict.Field);
                    }
                }

                // A local version known to be far faster than the deadline runs inline: no thread hop, no
                // timer. Anything else runs under the deadline (a CPU-bound run is abandoned, not stopped).
                var inline = target.FitsInline(payload.Rows, snapshot.Deadline);
                var started = Stopwatch.GetTimestamp();
                attempt = await target.Guard.RunAsync(
                    static (state, ct) => state.Backend.InferAsync(state.Inputs, ct),
                    (target.Backend, Inputs: inputs),
                    inline ? TimeSpan.Zero : snapshot.Deadline,
                    inline ? CancellationToken.None : token).ConfigureAwait(false);
                if (attempt.Succeeded)
                {
                    target.Counters.ObserveTicks(Stopwatch.GetTimestamp() - started, payload.Rows);
                }
            }

            if (attempt.Succeeded)
            {
                target.Counters.CountAnswer(step.Source);
                return new PredictionOutcome(PredictionStatus.Answered, step.Source, target, inputs, attempt.Answer, null, routedFailure, routedDetail);
            }

            if (attempt.Failure == AttemptFailure.InvalidInput && step.Source == AnswerSource.Routed)
            {
                return new PredictionOutcome(PredictionStatus.InvalidInput, step.Source, target, inputs, null, null, AttemptFailure.InvalidInput, attempt.Detail);
            }

            target.Counters.CountFailure();
            var detail = $"{target.Key}: {attempt.Detail}";
            if (step.Source == AnswerSource.Routed)
            {
                routedFailure = attempt.Failure;
                routedDetail = detail;
            }

            lastFailure = attempt.Failure;
            lastDetail = detail;
            step = chain.After(step);
        }
    }
}
