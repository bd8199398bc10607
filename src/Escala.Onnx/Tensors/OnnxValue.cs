namespace Escala.Onnx.Tensors;

/// <summary>A value that flows through a graph: a tensor, or a sequence of maps (the output of ZipMap).</summary>
public abstract class OnnxValue
{
    private protected OnnxValue()
    {
    }

    /// <summary>The ONNX type of the value, as in a model signature.</summary>
    public abstract OnnxTypeInfo Type { get; }
}
