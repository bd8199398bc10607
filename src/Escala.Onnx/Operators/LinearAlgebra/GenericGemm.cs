using System.Numerics;
using System.Numerics.Tensors;

namespace Escala.Onnx.Operators.LinearAlgebra;

/// <summary>Matrix product for any numeric type (row by row, vectorised along N where B rows are contiguous).</summary>
internal static class GenericGemm
{
    /// <summary>C (M x N) = alpha * op(A) * op(B) (+ C when accumulating); op transposes when asked.</summary>
    public static void Multiply<T>(
        ReadOnlySpan<T> a, bool transA, ReadOnlySpan<T> b, bool transB, Span<T> c, int m, int n, int k, T alpha, bool accumulate, Span<T> row)
        where T : INumber<T>
    {
        for (var i = 0; i < m; i++)
        {
            row.Clear();
            for (var p = 0; p < k; p++)
            {
                var aip = transA ? a[(p * m) + i] : a[(i * k) + p];
                if (T.IsZero(aip))
                {
                    continue;
                }

                if (!transB)
                {
                    TensorPrimitives.MultiplyAdd(b.Slice(p * n, n), aip, row, row);
                }
                else
                {
                    for (var j = 0; j < n; j++)
                    {
                        row[j] += aip * b[(j * k) + p];
                    }
                }
            }

            var dst = c.Slice(i * n, n);
            if (accumulate)
            {
                TensorPrimitives.MultiplyAdd(row, alpha, dst, dst);
            }
            else
            {
                TensorPrimitives.Multiply(row, alpha, dst);
            }
        }
    }
}
