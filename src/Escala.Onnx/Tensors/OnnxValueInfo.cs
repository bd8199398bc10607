namespace Escala.Onnx.Tensors;

/// <summary>A named input or output of a model with its type (symbolic dims kept).</summary>
public sealed record OnnxValueInfo(string Name, OnnxTypeInfo Type)
{
    /// <summary>The name and type, e.g. <c>X: tensor(float)[N,4]</c>.</summary>
    public override string ToString() => $"{Name}: {Type}";
}
