namespace Escala.Onnx.Tensors;

/// <summary>A sequence of maps from a label to a float (what ZipMap produces); see <see cref="OnnxMapSequence{TKey}"/>.</summary>
public abstract class OnnxMapSequence : OnnxValue
{
    private protected OnnxMapSequence()
    {
    }

    /// <summary>The key type: <see cref="ElementType.String"/> or <see cref="ElementType.Int64"/>.</summary>
    public abstract ElementType KeyType { get; }

    /// <summary>The number of maps (rows).</summary>
    public abstract int Count { get; }

    /// <inheritdoc />
    public override OnnxTypeInfo Type => OnnxTypeInfo.SequenceOfMaps(KeyType);
}
