using Escala.Onnx.Tensors;

namespace Escala.Onnx.Inspection;

/// <summary>
/// What a model file declares and whether the engine can run it. Produced for any bytes, without
/// throwing: an unreadable file has <see cref="IsOnnx"/> false and the reason in <see cref="Error"/>.
/// </summary>
public sealed record ModelInspection
{
    /// <summary>Whether the bytes parse as an ONNX model with a graph.</summary>
    public bool IsOnnx { get; init; }

    /// <summary>Whether the engine compiles the model (every op, type and opset supported, graph well-formed).</summary>
    public bool CanRun { get; init; }

    /// <summary>Why the model cannot be read or run; null when it can.</summary>
    public string? Error { get; init; }

    /// <summary>The IR version.</summary>
    public long IrVersion { get; init; }

    /// <summary>The producing tool.</summary>
    public string ProducerName { get; init; } = string.Empty;

    /// <summary>The producing tool's version.</summary>
    public string ProducerVersion { get; init; } = string.Empty;

    /// <summary>Imported opsets: domain (<c>ai.onnx</c> for the default) to version.</summary>
    public IReadOnlyDictionary<string, long> Opsets { get; init; } = new Dictionary<string, long>();

    /// <summary>The inputs callers feed (initializers excluded), as declared.</summary>
    public IReadOnlyList<OnnxValueInfo> Inputs { get; init; } = [];

    /// <summary>The outputs, as declared.</summary>
    public IReadOnlyList<OnnxValueInfo> Outputs { get; init; } = [];

    /// <summary>Every operator used, with node counts and whether it is supported (and why not).</summary>
    public IReadOnlyList<OnnxOperatorUse> Operators { get; init; } = [];

    /// <summary>The number of nodes in the main graph.</summary>
    public int NodeCount { get; init; }

    /// <summary>The number of initializers (weights).</summary>
    public int InitializerCount { get; init; }
}
