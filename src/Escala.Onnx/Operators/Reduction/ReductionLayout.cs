using Escala.Onnx.Execution;
using Escala.Onnx.Operators.Manipulation;

namespace Escala.Onnx.Operators.Reduction;

/// <summary>
/// Arranges a tensor so the reduced axes are innermost: every output element then reduces one
/// contiguous row. When the reduced axes already trail (the common case) no copy is made.
/// </summary>
internal readonly ref struct ReductionLayout<T>
{
    public ReductionLayout(KernelContext context, ReadOnlySpan<T> data, ReadOnlySpan<int> shape, ReadOnlySpan<bool> reduced)
    {
        var rank = shape.Length;
        var perm = new int[rank];
        var p = 0;
        var rows = 1;
        var rowLength = 1;
        for (var d = 0; d < rank; d++)
        {
            if (!reduced[d])
            {
                perm[p++] = d;
                rows *= shape[d];
            }
        }

        var trailing = true;
        for (var d = 0; d < rank; d++)
        {
            if (reduced[d])
            {
                trailing &= d >= p;
                perm[p++] = d;
                rowLength *= shape[d];
            }
        }

        Rows = rows;
        RowLength = rowLength;
        if (trailing)
        {
            Data = data;
        }
        else
        {
            var copy = context.Scratch<T>(data.Length);
            Transposer.Permute(data, shape, perm, copy);
            Data = copy;
        }
    }

    public ReadOnlySpan<T> Data { get; }

    public int Rows { get; }

    public int RowLength { get; }

    public ReadOnlySpan<T> Row(int index) => Data.Slice(index * RowLength, RowLength);

    /// <summary>The output shape: reduced dims kept as 1 or dropped.</summary>
    public static int[] OutputShape(ReadOnlySpan<int> shape, ReadOnlySpan<bool> reduced, bool keepDims)
    {
        var result = new List<int>(shape.Length);
        for (var d = 0; d < shape.Length; d++)
        {
            if (!reduced[d])
            {
                result.Add(shape[d]);
            }
            else if (keepDims)
            {
                result.Add(1);
            }
        }

        return [.. result];
    }
}
