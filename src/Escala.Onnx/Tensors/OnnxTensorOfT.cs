namespace Escala.Onnx.Tensors;

/// <summary>A dense, row-major tensor whose elements are <typeparamref name="T"/>.</summary>
/// <remarks>
/// The memory may be longer than <see cref="OnnxTensor.Length"/> when it comes from a pool inside the
/// engine; <see cref="Span"/> and <see cref="Memory"/> are always exactly <see cref="OnnxTensor.Length"/> long.
/// </remarks>
public sealed class OnnxTensor<T> : OnnxTensor
{
    private static readonly ElementType Element = ElementTypes.Of<T>();
    private readonly Memory<T> _data;

    /// <summary>A tensor over <paramref name="data"/> (not copied) with the given shape.</summary>
    public OnnxTensor(T[] data, params int[] shape)
        : this(data.AsMemory(), shape)
    {
    }

    /// <summary>A tensor over <paramref name="data"/> (not copied) with the given shape; the lengths must agree.</summary>
    public OnnxTensor(Memory<T> data, int[] shape)
        : this(data, TensorShape.Validate(shape), exact: true)
    {
    }

    // Engine buffers come from a pool and may be longer than the tensor; callers' data must fit exactly.
    private OnnxTensor(Memory<T> data, int[] shape, bool exact)
        : base(shape)
    {
        if (Element == ElementType.Undefined)
        {
            throw new NotSupportedException($"A tensor cannot hold elements of type {typeof(T).Name}.");
        }

        if (exact ? data.Length != Length : data.Length < Length)
        {
            throw new ArgumentException($"The data has {data.Length} elements but the shape [{string.Join(',', shape)}] needs {Length}.", nameof(data));
        }

        _data = data[..Length];
    }

    /// <inheritdoc />
    public override ElementType ElementType => Element;

    /// <summary>The elements, row-major.</summary>
    public Span<T> Span => _data.Span;

    /// <summary>The elements, row-major.</summary>
    public Memory<T> Memory => _data;

    /// <summary>The element at a flat (row-major) index.</summary>
    public T this[int index]
    {
        get => _data.Span[index];
        set => _data.Span[index] = value;
    }

    /// <summary>A scalar (rank 0) tensor.</summary>
    public static OnnxTensor<T> Scalar(T value) => new([value], []);

    /// <summary>A tensor of default values with the given shape.</summary>
    public static OnnxTensor<T> Zeros(params int[] shape) => new(new T[TensorShape.Size(TensorShape.Validate(shape))], shape);

    /// <summary>The elements as a new array.</summary>
    public T[] ToArray() => _data.ToArray();

    /// <inheritdoc />
    public override OnnxTensor<T> Clone() => new(_data.ToArray(), ShapeArray(), exact: true);

    /// <inheritdoc />
    public override OnnxTensor<T> Reshape(int[] shape)
    {
        TensorShape.Validate(shape);
        if (TensorShape.Size(shape) != Length)
        {
            throw new ArgumentException($"Cannot reshape {this} to [{string.Join(',', shape)}]: the element counts differ.", nameof(shape));
        }

        return new OnnxTensor<T>(_data, shape, exact: true);
    }

    /// <summary>A tensor over engine-owned memory whose shape was already validated.</summary>
    internal static OnnxTensor<T> Wrap(Memory<T> data, int[] shape) => new(data, shape, exact: false);
}
