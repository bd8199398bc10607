using Escala.Onnx.Execution;

namespace Escala.Onnx;

/// <summary>Options for compiling a model into an <see cref="InferenceSession"/>.</summary>
public sealed record OnnxSessionOptions
{
    /// <summary>The defaults: the built-in registry, a 256 M-element cap per tensor.</summary>
    public static OnnxSessionOptions Default { get; } = new();

    /// <summary>The operators available; <see cref="KernelRegistry.Default"/> unless a test or host adds its own.</summary>
    public KernelRegistry Registry { get; init; } = KernelRegistry.Default;

    /// <summary>The largest tensor (in elements) a kernel may allocate: a guard against hostile shapes.</summary>
    public int MaxTensorElements { get; init; } = 1 << 28;

    /// <summary>Whether to time every node (see <see cref="InferenceSession.NodeTimings"/>); off by default, it costs two timestamps per node.</summary>
    public bool CollectNodeTimings { get; init; }
}
