namespace Escala.Onnx.Tensors;

/// <summary>The kinds of ONNX value types.</summary>
public enum OnnxTypeKind
{
    /// <summary>A type this engine does not recognise (or none was declared).</summary>
    Unknown,
    /// <summary>A dense tensor.</summary>
    Tensor,
    /// <summary>A sequence of values of one type.</summary>
    Sequence,
    /// <summary>A map from a key type to a value type.</summary>
    Map,
    /// <summary>An optional value.</summary>
    Optional,
    /// <summary>A sparse tensor.</summary>
    SparseTensor,
}
