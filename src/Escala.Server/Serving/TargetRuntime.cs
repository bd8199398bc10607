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
}

/// <summary>Lock-free counts of what one target of one endpoint did since the process started.</summary>
public sealed class TargetCounters
{
    private long _answered;
    private long _answeredAsFallback;
    private long _failed;
    private long _shadowed;

    /// <summary>Requests it answered as the routed (or pinned) version.</summary>
    public long Answered => Interlocked.Read(ref _answered);

    /// <summary>Requests it answered as the fallback version.</summary>
    public long AnsweredAsFallback => Interlocked.Read(ref _answeredAsFallback);

    /// <summary>Calls that failed (error, timeout, open circuit, unavailable).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Shadow copies it answered.</summary>
    public long Shadowed => Interlocked.Read(ref _shadowed);

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
