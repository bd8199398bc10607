using Escala.Onnx.Tensors;

namespace Escala.Server.Serving;

/// <summary>
/// Something that answers predictions for one target: the in-process engine running a registered
/// version, or an external Open Inference Protocol v2 server. The gateway routes, protects, logs
/// and monitors both the same way; only this interface differs.
/// </summary>
public interface IServingBackend
{
    /// <summary>What the target takes, in order.</summary>
    IReadOnlyList<OnnxValueInfo> Inputs { get; }

    /// <summary>What the target returns, in order.</summary>
    IReadOnlyList<OnnxValueInfo> Outputs { get; }

    /// <summary>False when the target could not be loaded; every call then fails as unavailable.</summary>
    bool IsAvailable { get; }

    /// <summary>
    /// True when a call runs on the caller's thread unless its token can be cancelled (the in-process
    /// engine): the gateway then skips the deadline's thread hop for calls it expects to be fast.
    /// </summary>
    bool RunsInline => false;

    /// <summary>One line for operators, e.g. <c>engine: 3 ops, 2 inputs</c> or <c>external: http://127.0.0.1:8000 model credit</c>.</summary>
    string Description { get; }

    /// <summary>
    /// Runs one request. Expected failures (bad input, a model error, a backend error) come back as
    /// values; a cancelled <paramref name="cancellationToken"/> (the deadline) throws.
    /// </summary>
    ValueTask<Attempt<IReadOnlyDictionary<string, OnnxValue>>> InferAsync(IReadOnlyDictionary<string, OnnxValue> inputs, CancellationToken cancellationToken);
}
