using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Escala.Onnx.Ml.Linear;

/// <summary>
/// <c>scores = X · Wᵀ + b</c> for the linear models: rows of X against each row of W (one per class or target). Four
/// rows of X are multiplied with one row of W at a time, so each coefficient vector is loaded once per four dot
/// products, in 512-bit (or 256-bit) vectors with a scalar tail.
/// </summary>
internal static class LinearScores
{
    public static void Compute(
        ReadOnlySpan<float> x, int rows, int features, ReadOnlySpan<float> weights, int outputs, ReadOnlySpan<float> bias, Span<float> scores)
    {
        var r = 0;
        for (; r + 4 <= rows; r += 4)
        {
            for (var k = 0; k < outputs; k++)
            {
                var w = weights.Slice(k * features, features);
                var (d0, d1, d2, d3) = Dot4(x.Slice(r * features, 4 * features), features, w);
                var b = bias.IsEmpty ? 0f : bias[k];
                scores[(r * outputs) + k] = d0 + b;
                scores[((r + 1) * outputs) + k] = d1 + b;
                scores[((r + 2) * outputs) + k] = d2 + b;
                scores[((r + 3) * outputs) + k] = d3 + b;
            }
        }

        for (; r < rows; r++)
        {
            var row = x.Slice(r * features, features);
            for (var k = 0; k < outputs; k++)
            {
                scores[(r * outputs) + k] = System.Numerics.Tensors.TensorPrimitives.Dot(row, weights.Slice(k * features, features)) + (bias.IsEmpty ? 0f : bias[k]);
            }
        }
    }

    /// <summary>The dot products of four consecutive rows (each <paramref name="features"/> long) with <paramref name="w"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (float, float, float, float) Dot4(ReadOnlySpan<float> rows, int features, ReadOnlySpan<float> w)
    {
        ref var w0 = ref MemoryMarshal.GetReference(w);
        ref var a = ref MemoryMarshal.GetReference(rows);
        ref var b = ref Unsafe.Add(ref a, features);
        ref var c = ref Unsafe.Add(ref b, features);
        ref var d = ref Unsafe.Add(ref c, features);
        var i = 0;
        float s0, s1, s2, s3;
        if (Vector512.IsHardwareAccelerated && features >= Vector512<float>.Count)
        {
            var (v0, v1, v2, v3) = (Vector512<float>.Zero, Vector512<float>.Zero, Vector512<float>.Zero, Vector512<float>.Zero);
            for (; i + Vector512<float>.Count <= features; i += Vector512<float>.Count)
            {
                var wv = Vector512.LoadUnsafe(ref w0, (nuint)i);
                v0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref a, (nuint)i), wv, v0);
                v1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref b, (nuint)i), wv, v1);
                v2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref c, (nuint)i), wv, v2);
                v3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref d, (nuint)i), wv, v3);
            }

            (s0, s1, s2, s3) = (Vector512.Sum(v0), Vector512.Sum(v1), Vector512.Sum(v2), Vector512.Sum(v3));
        }
        else if (Vector256.IsHardwareAccelerated && features >= Vector256<float>.Count)
        {
            var (v0, v1, v2, v3) = (Vector256<float>.Zero, Vector256<float>.Zero, Vector256<float>.Zero, Vector256<float>.Zero);
            for (; i + Vector256<float>.Count <= features; i += Vector256<float>.Count)
            {
                var wv = Vector256.LoadUnsafe(ref w0, (nuint)i);
                v0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref a, (nuint)i), wv, v0);
                v1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref b, (nuint)i), wv, v1);
                v2 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref c, (nuint)i), wv, v2);
                v3 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref d, (nuint)i), wv, v3);
            }

            (s0, s1, s2, s3) = (Vector256.Sum(v0), Vector256.Sum(v1), Vector256.Sum(v2), Vector256.Sum(v3));
        }
        else
        {
            (s0, s1, s2, s3) = (0f, 0f, 0f, 0f);
        }

        for (; i < features; i++)
        {
            var wi = Unsafe.Add(ref w0, i);
            s0 += Unsafe.Add(ref a, i) * wi;
            s1 += Unsafe.Add(ref b, i) * wi;
            s2 += Unsafe.Add(ref c, i) * wi;
            s3 += Unsafe.Add(ref d, i) * wi;
        }

        return (s0, s1, s2, s3);
    }
}
