namespace Escala.Core.Routing;

/// <summary>Why an attempt at a target produced no answer. Expected on the data plane, so a value, never an exception.</summary>
public enum AttemptFailure
{
    /// <summary>The attempt answered.</summary>
    None,

    /// <summary>The target failed while running the request (engine error, backend 5xx, connection refused).</summary>
    Error,

    /// <summary>The target did not answer within the endpoint's deadline.</summary>
    Timeout,

    /// <summary>The target's circuit breaker is open after repeated failures; it was not called.</summary>
    CircuitOpen,

    /// <summary>The target could not be loaded (corrupt artifact, unsupported model, backend unreachable at start).</summary>
    Unavailable,

    /// <summary>
    /// The target refused the request as invalid (wrong shape, type or a missing input): the caller's
    /// to fix. Answered as a 4xx, never with a fallback, never counted against the target's breaker.
    /// </summary>
    InvalidInput,
}

/// <summary>Where an answer came from.</summary>
public enum AnswerSource
{
    /// <summary>The version the router picked (or the caller pinned).</summary>
    Routed,

    /// <summary>The endpoint's fallback version, after the routed one failed.</summary>
    FallbackVersion,

    /// <summary>The endpoint's configured default answer, after every version failed.</summary>
    DefaultAnswer,
}

/// <summary>What the chain does next.</summary>
public enum FallbackStage
{
    /// <summary>Call <see cref="FallbackStep.Target"/>.</summary>
    Try,

    /// <summary>Answer with the configured default answer.</summary>
    DefaultAnswer,

    /// <summary>Nothing is left: answer with an error that names the last failure.</summary>
    Fail,
}

/// <summary>One step of the chain: what to do, which target, and whether the answer will count as a fallback.</summary>
public readonly record struct FallbackStep(FallbackStage Stage, int Target, AnswerSource Source);

/// <summary>
/// The fallback chain of one request: the routed target, then the endpoint's fallback version
/// (unless it is the one that just failed), then the default answer, then a clear failure.
/// A caller's bad input never enters the chain: it is the caller's to fix, not a fallback.
/// </summary>
/// <param name="Primary">The routed (or pinned) target index.</param>
/// <param name="FallbackVersion">The fallback version's index, or -1.</param>
/// <param name="HasDefaultAnswer">Whether the endpoint has a default answer configured.</param>
public readonly record struct FallbackChain(int Primary, int FallbackVersion, bool HasDefaultAnswer)
{
    /// <summary>The first step: try the primary.</summary>
    public FallbackStep First => new(FallbackStage.Try, Primary, AnswerSource.Routed);

    /// <summary>The step after <paramref name="failed"/> produced no answer.</summary>
    public FallbackStep After(FallbackStep failed)
    {
        if (failed.Stage == FallbackStage.Try && failed.Source == AnswerSource.Routed
            && FallbackVersion >= 0 && FallbackVersion != Primary)
        {
            return new FallbackStep(FallbackStage.Try, FallbackVersion, AnswerSource.FallbackVersion);
        }

        return failed.Stage == FallbackStage.Try && HasDefaultAnswer
            ? new FallbackStep(FallbackStage.DefaultAnswer, -1, AnswerSource.DefaultAnswer)
            : new FallbackStep(FallbackStage.Fail, -1, AnswerSource.DefaultAnswer);
    }
}
