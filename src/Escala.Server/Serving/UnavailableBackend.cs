using Escala.Core.Routing;
using Escala.Onnx.Tensors;

namespace Escala.Server.Serving;

/// <summary>
/// Stands in for a target that could not be loaded (a corrupt artifact, a backend down at start):
/// every call fails as unavailable, so the fallback chain answers and the endpoint stays up.
/// </summary>
public sealed class UnavailableBackend(string reason) : IServingBackend
{
    /// <summary>Why the target could not be loaded.</summary>
    public string Reason { get; } = reason;

    /// <inheritdoc/>
    public IReadOnlyList<OnnxValueInfo> Inputs => [];

    /// <inheritdoc/>
    public IReadOnlyList<OnnxValueInfo> Outputs => [];

    /// <inheritdoc/>
    public bool IsAvailable => false;

    /// <inheritdoc/>
    public string Description => $"unavailable: {Reason}";

    /// <inheritdoc/>
    public ValueTask<Attempt<IReadOnlyDictionary<string, OnnxValue>>> InferAsync(IReadOnlyDictionary<string, OnnxValue> inputs, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Attempt<IReadOnlyDictionary<string, OnnxValue>>.Failed(AttemptFailure.Unavailable, Reason));
}
