using Escala.Onnx.Execution;

namespace Escala.Onnx;

/// <summary>Options for compiling a model into an <see cref="InferenceSession"/>.</summary>
public sealed record OnnxSessionOptions
{
    /// <summary>The default <see cref="MaxRunBytes"/>: 256 MiB.</summary>
    public const long DefaultMaxRunBytes = 256L << 20;

    /// <summary>The defaults: the built-in registry, a 256 M-element cap per tensor, a 256 MiB budget per run.</summary>
    public static OnnxSessionOptions Default { get; } = new();

    /// <summary>The operators available; <see cref="KernelRegistry.Default"/> unless a test or host adds its own.</summary>
    public KernelRegistry Registry { get; init; } = KernelRegistry.Default;

    /// <summary>The largest tensor (in elements) a kernel may allocate: a guard against hostile shapes.</summary>
    public int MaxTensorElements { get; init; } = 1 << 28;

    /// <summary>
    /// The byte budget of one run: everything a run allocates (outputs, pooled intermediates, kernel scratch) is
    /// counted, with overflow-checked sizes, before it is allocated, and a run that would exceed it stops with
    /// <see cref="OnnxBudgetException"/>. It also bounds, at compile time, what one row of any value may need
    /// (sizes derived from attributes and constants, such as <c>n_targets</c> or a <c>ConstantOfShape</c> shape),
    /// so a model that could not run a single row within it is refused at load naming the node, and the total
    /// size of constants folded at compile time. A run may set its own (<see cref="OnnxRunOptions.MaxBytes"/>, e.g. a gateway endpoint's budget).
    /// </summary>
    public long MaxRunBytes { get; init; } = DefaultMaxRunBytes;

    /// <summary>Whether to time every node (see <see cref="InferenceSession.NodeTimings"/>); off by default, it costs two timestamps per node.</summary>
    public bool CollectNodeTimings { get; init; }
}
