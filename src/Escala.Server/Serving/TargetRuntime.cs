using Escala.Core.Routing;
using Escala.Onnx.Tensors;

namespace Escala.Server.Serving;

/// <summary>
/// One target as the gateway runs it: its definition, the backend that answers, the guard around it
/// and counters of what it did since the process started. Guard and counters are kept per endpoint
/// and target across snapshots, so breaker state and counts survive deploy, promote and rollback.
/// </summary>
public sealed class TargetRuntime(ServingTarget spec, IServingBackend backend, TargetGuard<IReadOnlyDictionary<string, OnnxValue>> guard, TargetCounters counters)
{
    /// <summary>The target's key, e.g. <c>credit:2</c>.</summary>
    public string Key => Spec.Key;

    /// <summary>What the target is.</summary>
    public ServingTarget Spec { get; } = spec;

    /// <summary>What answers for it.</summary>
    public IServingBackend Backend { get; } = backend;

    /// <summary>Its circuit breaker and deadline.</summary>
    public TargetGuard<IReadOnlyDictionary<string, OnnxValue>> Guard { get; } = guard;

    /// <summary>What it did since the process started.</summary>
    public TargetCounters Counters { get; } = counters;

    /// <summary>
    /// Whether a call of <paramref name="rows"/> rows may run inline on the request thread without the
    /// deadline's thread hop: only for a backend that runs in-process, once its recent time per row is
    /// known, and when that predicts under a tenth of <paramref name="deadline"/>. A version that turns
    /// slow raises its estimate with its first slow call, and the calls after it get a real deadline again.
    /// </summary>
    public bool FitsInline(int rows, TimeSpan deadline) =>
        Backend.RunsInline && Counters.PredictTicks(rows) is { } predicted && predicted * 10 < deadline.TotalSeconds * System.Diagnostics.Stopwatch.Frequency;
}

/// <summary>Lock-free counts of what one target of one endpoint did since the process started.</summary>
public sealed class TargetCounters
{
    private long _answered;
    private long _answeredAsFallback;
    private long _failed;
    private long _shadowed;
    private long _ticksPerRow = -1;

    /// <summary>Requests it answered as the routed (or pinned) version.</summary>
    public long Answered => Interlocked.Read(ref _answered);

    /// <summary>Requests it answered as the fallback version.</summary>
    public long AnsweredAsFallback => Interlocked.Read(ref _answeredAsFallback);

    /// <summary>Calls that failed (error, timeout, open circuit, unavailable).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Shadow copies it answered.</summary>
    public long Shadowed => Interlocked.Read(ref _shadowed);

    /// <summary>The predicted <see cref="System.Diagnostics.Stopwatch"/> ticks of a call of <paramref name="rows"/> rows, or null before any call was timed.</summary>
    public long? PredictTicks(int rows)
    {
        var perRow = Volatile.Read(ref _ticksPerRow);
        return perRow < 0 ? null : perRow * Math.Max(1, rows);
    }

    /// <summary>
    /// Folds one call's duration into the per-row estimate: an exponential average with weight 1/8,
    /// except that a slower call is taken at once (so the next calls are protected by the deadline).
    /// Racing updates may lose a sample, which an average tolerates; no lock is taken.
    /// </summary>
    public void ObserveTicks(long ticks, int rows)
    {
        var sample = ticks / Math.Max(1, rows);
        var current = Volatile.Read(ref _ticksPerRow);
        Volatile.Write(ref _ticksPerRow, current < 0 || sample > current ? sample : current + ((sample - current) / 8));
    }

    internal void CountAnswer(AnswerSource source)
    {
        if (source == AnswerSource.FallbackVersion)
        {
            Interlocked.Increment(ref _answeredAsFallback);
        }
        else
        {
            Interlocked.Increment(ref _answered);
        }
    }

    internal void CountFailure() => Interlocked.Increment(ref _failed);

    internal void CountShadow() => Interlocked.Increment(ref _shadowed);
}
