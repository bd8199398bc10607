namespace Escala.Core.Registry;

/// <summary>
/// One input or output of a model: its name, element type as ONNX names it (e.g. <c>float</c>,
/// <c>int64</c>, <c>string</c>, or <c>seq(map(int64,float))</c>), and dimensions, where a symbolic or unknown
/// dimension is written by its name or "?".
/// </summary>
public sealed record TensorSpec(string Name, string ElementType, IReadOnlyList<string>? Dims);

/// <summary>What a model takes and returns, and the operator sets it was written against, recorded at registration.</summary>
public sealed record ModelSignature(
    IReadOnlyList<TensorSpec> Inputs,
    IReadOnlyList<TensorSpec> Outputs,
    IReadOnlyDictionary<string, long> Opsets,
    string? Producer);

/// <summary>What inspecting a model file found: its signature and whether the engine can run it.</summary>
public sealed record ModelInspection(ModelSignature Signature, bool Runnable);

/// <summary>
/// Reads an uploaded model before it is stored: throws an invalid-model problem for a file that is
/// not ONNX, and an unsupported-model problem naming the node, op, domain and opset the engine
/// cannot run.
/// </summary>
public interface IModelInspector
{
    /// <summary>Inspects the model's bytes.</summary>
    ModelInspection Inspect(ReadOnlyMemory<byte> model);
}
