using System.Text.Json;
using Escala.Core.Routing;
using Escala.Onnx.Tensors;

namespace Escala.Server.Serving;

/// <summary>How a prediction ended.</summary>
public enum PredictionStatus
{
    /// <summary>A version (routed or fallback) or the default answer answered.</summary>
    Answered,

    /// <summary>The inputs do not fit the routed version: the caller's to fix (4xx).</summary>
    InvalidInput,

    /// <summary>An observer (e.g. a data-quality policy set to reject) refused the inputs (4xx).</summary>
    Refused,

    /// <summary>Every link of the fallback chain failed (5xx).</summary>
    Failed,
}

/// <summary>
/// The result of one prediction as a value: who answered and how, or why nobody did. The routed
/// version's failure is kept when a fallback answered, so the caller and the log can say why.
/// </summary>
public sealed record PredictionOutcome(
    PredictionStatus Status,
    AnswerSource Source,
    TargetRuntime? Target,
    IReadOnlyDictionary<string, OnnxValue>? Inputs,
    IReadOnlyDictionary<string, OnnxValue>? Outputs,
    JsonElement? DefaultAnswer,
    AttemptFailure RoutedFailure,
    string? Detail,
    string? Field = null)
{
    /// <summary>True when the answer did not come from the routed version.</summary>
    public bool IsFallback => Status == PredictionStatus.Answered && Source != AnswerSource.Routed;

    /// <summary>The key of the version that answered, or null (default answer, failure).</summary>
    public string? Version => Status == PredictionStatus.Answered ? Target?.Key : null;

    /// <summary>The last failure when the status is <see cref="PredictionStatus.Failed"/>.</summary>
    public AttemptFailure LastFailure { get; init; }
}
