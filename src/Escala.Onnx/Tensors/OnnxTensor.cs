namespace Escala.Onnx.Tensors;

/// <summary>A dense, row-major tensor of one element type; see <see cref="OnnxTensor{T}"/>.</summary>
public abstract class OnnxTensor : OnnxValue
{
    private readonly int[] _shape;

    private protected OnnxTensor(int[] shape)
    {
        _shape = shape;
        Length = TensorShape.Size(shape);
    }

    /// <summary>The element type.</summary>
    public abstract ElementType ElementType { get; }

    /// <summary>The dimensions, outermost first; empty for a scalar.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>The number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>The number of elements (the product of the dimensions).</summary>
    public int Length { get; }

    /// <inheritdoc />
    public override OnnxTypeInfo Type => OnnxTypeInfo.Tensor(ElementType, TensorShape.ToDims(_shape));

    /// <summary>The shape as an array the caller may keep (a copy).</summary>
    public int[] ShapeArray() => (int[])_shape.Clone();

    /// <summary>The size of dimension <paramref name="axis"/> (negative counts from the end).</summary>
    public int Dim(int axis) => _shape[axis < 0 ? axis + _shape.Length : axis];

    /// <summary>A deep copy that shares nothing with this tensor.</summary>
    public abstract OnnxTensor Clone();

    /// <summary>A tensor with another shape of the same length over the same memory (no copy).</summary>
    public abstract OnnxTensor Reshape(int[] shape);

    /// <summary>Describes the type and shape, e.g. <c>tensor(float)[2,3]</c>.</summary>
    public override string ToString() => $"tensor({ElementTypes.Name(ElementType)})[{string.Join(',', _shape)}]";

    /// <summary>The shape array itself, for engine code that promises not to change it.</summary>
    internal int[] ShapeRef => _shape;
}
