using Escala.Onnx.Tensors;

namespace Escala.Onnx.Operators.Dispatch;

/// <summary>Reads integer tensors that carry shapes, axes and indices (int64 or int32) as longs.</summary>
internal static class IndexValues
{
    public static readonly ElementType[] Types = [ElementType.Int64, ElementType.Int32];

    public static long[] Read(OnnxTensor tensor) => tensor switch
    {
        OnnxTensor<long> l => l.ToArray(),
        OnnxTensor<int> i => [.. i.ToArray().Select(v => (long)v)],
        _ => throw new ArgumentException($"expected an int64 or int32 tensor, got {tensor}"),
    };

    /// <summary>Checks every value fits a dimension size (non-negative int) and converts.</summary>
    public static int[] ToDims(ReadOnlySpan<long> values, string what)
    {
        var dims = new int[values.Length];
        for (var i = 0; i < dims.Length; i++)
        {
            if (values[i] < 0 || values[i] > TensorShape.MaxElements)
            {
                throw new ArgumentException($"{what} has an invalid dimension {values[i]}");
            }

            dims[i] = (int)values[i];
        }

        return dims;
    }

    /// <summary>Normalises axes against a rank, refusing duplicates and out-of-range values.</summary>
    public static int[] Axes(ReadOnlySpan<long> axes, int rank)
    {
        var result = new int[axes.Length];
        for (var i = 0; i < axes.Length; i++)
        {
            result[i] = TensorShape.NormalizeAxis(axes[i], rank);
            for (var j = 0; j < i; j++)
            {
                if (result[j] == result[i])
                {
                    throw new ArgumentException($"axis {axes[i]} is given twice");
                }
            }
        }

        return result;
    }
}
