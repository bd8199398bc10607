namespace Escala.Server.Protocol;

/// <summary>An Open Inference Protocol request body is invalid; says which input (when one) and what is wrong.</summary>
public sealed class InferenceProtocolException(ProtocolErrorKind kind, string? inputName, string message) : Exception(message)
{
    /// <summary>The kind of problem (stable; one problem-details type each).</summary>
    public ProtocolErrorKind Kind { get; } = kind;

    /// <summary>The input at fault, or null for a body-level problem.</summary>
    public string? InputName { get; } = inputName;
}
