namespace Escala.Onnx.Tensors;

/// <summary>Arithmetic on tensor shapes (arrays of dimension sizes).</summary>
public static class TensorShape
{
    /// <summary>The largest element count a tensor may have (array length limit).</summary>
    public const int MaxElements = 0x7FFFFFC7;

    /// <summary>The product of the dimensions; throws when it overflows what an array can hold.</summary>
    public static int Size(ReadOnlySpan<int> shape)
    {
        long size = 1;
        foreach (var d in shape)
        {
            size *= d;
            if (size > MaxElements)
            {
                throw new ArgumentException($"A tensor of shape [{Format(shape)}] has more elements than an array can hold.");
            }
        }

        return (int)size;
    }

    /// <summary>The product of the dimensions, or -1 when it does not fit an array.</summary>
    public static long SizeOrOverflow(ReadOnlySpan<long> shape)
    {
        long size = 1;
        foreach (var d in shape)
        {
            if (d < 0)
            {
                return -1;
            }

            size *= d;
            if (size > MaxElements)
            {
                return -1;
            }
        }

        return size;
    }

    /// <summary>Checks every dimension is non-negative and the size fits; returns the same array.</summary>
    public static int[] Validate(int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        foreach (var d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"Shape [{Format(shape)}] has a negative dimension.", nameof(shape));
            }
        }

        Size(shape);
        return shape;
    }

    /// <summary>Row-major strides (elements) of a shape.</summary>
    public static int[] Strides(ReadOnlySpan<int> shape)
    {
        var strides = new int[shape.Length];
        var s = 1;
        for (var i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= shape[i];
        }

        return strides;
    }

    /// <summary>Whether two shapes are equal.</summary>
    public static bool Equal(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);

    /// <summary>Formats a shape as <c>2,3,4</c>.</summary>
    public static string Format(ReadOnlySpan<int> shape) => string.Join(',', shape.ToArray());

    /// <summary>Normalises a possibly negative axis against a rank; throws with a clear message when out of range.</summary>
    public static int NormalizeAxis(long axis, int rank, string what = "axis")
    {
        if (axis < -rank || axis >= rank)
        {
            throw new ArgumentException($"{what} {axis} is out of range for a tensor of rank {rank} (allowed {-rank}..{rank - 1}).");
        }

        return (int)(axis < 0 ? axis + rank : axis);
    }

    /// <summary>The product of the dimensions in [from, to).</summary>
    public static int Product(ReadOnlySpan<int> shape, int from, int to)
    {
        var p = 1;
        for (var i = from; i < to; i++)
        {
            p *= shape[i];
        }

        return p;
    }

    internal static OnnxDim[] ToDims(ReadOnlySpan<int> shape)
    {
        var dims = new OnnxDim[shape.Length];
        for (var i = 0; i < dims.Length; i++)
        {
            dims[i] = shape[i];
        }

        return dims;
    }
}
