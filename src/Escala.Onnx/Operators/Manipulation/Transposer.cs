namespace Escala.Onnx.Operators.Manipulation;

/// <summary>Copies a row-major tensor into a permuted layout: output dim i is input dim perm[i].</summary>
internal static class Transposer
{
    public static int[] PermutedShape(ReadOnlySpan<int> shape, ReadOnlySpan<int> perm)
    {
        var result = new int[perm.Length];
        for (var i = 0; i < perm.Length; i++)
        {
            result[i] = shape[perm[i]];
        }

        return result;
    }

    public static void Permute<T>(ReadOnlySpan<T> source, ReadOnlySpan<int> shape, ReadOnlySpan<int> perm, Span<T> destination)
    {
        var rank = shape.Length;
        if (destination.IsEmpty)
        {
            return;
        }

        var identity = true;
        for (var i = 0; i < rank; i++)
        {
            identity &= perm[i] == i;
        }

        if (identity || rank <= 1)
        {
            source.CopyTo(destination);
            return;
        }

        Span<int> inStrides = stackalloc int[rank];
        var s = 1;
        for (var i = rank - 1; i >= 0; i--)
        {
            inStrides[i] = s;
            s *= shape[i];
        }

        // Walk the output in order; the innermost output dim moves by a fixed input stride.
        Span<int> outShape = stackalloc int[rank];
        Span<int> strides = stackalloc int[rank];
        for (var i = 0; i < rank; i++)
        {
            outShape[i] = shape[perm[i]];
            strides[i] = inStrides[perm[i]];
        }

        Span<int> index = stackalloc int[rank];
        index.Clear();
        var inner = outShape[rank - 1];
        var innerStride = strides[rank - 1];
        var offset = 0;
        var o = 0;
        while (o < destination.Length)
        {
            var src = offset;
            for (var j = 0; j < inner; j++)
            {
                destination[o++] = source[src];
                src += innerStride;
            }

            // Advance the outer index (odometer) and the input offset with it.
            for (var d = rank - 2; d >= 0; d--)
            {
                index[d]++;
                offset += strides[d];
                if (index[d] < outShape[d])
                {
                    break;
                }

                offset -= strides[d] * outShape[d];
                index[d] = 0;
            }
        }
    }
}
