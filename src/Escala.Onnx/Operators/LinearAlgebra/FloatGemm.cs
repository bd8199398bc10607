using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Escala.Onnx.Operators.LinearAlgebra;

/// <summary>
/// Single-precision matrix product C = alpha * A * B (+ C when accumulating), A row-major M x K, B packed.
/// A register-blocked micro-kernel keeps a 4 x 16 block of C in eight 256-bit registers and streams one
/// packed B panel per K step, so each loaded value feeds several fused multiply-adds.
/// </summary>
internal static class FloatGemm
{
    private const int Rows = 4;

    public static void Multiply(ReadOnlySpan<float> a, int lda, PackedB b, Span<float> c, int ldc, int m, float alpha, bool accumulate) =>
        Multiply(a, lda, b.Data, b.K, b.N, c, ldc, m, alpha, accumulate);

    /// <summary>The same with B given as packed panels (see <see cref="PackedB.Pack"/>) of a K x N matrix.</summary>
    public static void Multiply(ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> packed, int k, int n, Span<float> c, int ldc, int m, float alpha, bool accumulate)
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            if (!accumulate)
            {
                for (var i = 0; i < m; i++)
                {
                    c.Slice(i * ldc, n).Clear();
                }
            }

            return;
        }

        var panels = (n + PackedB.Width - 1) / PackedB.Width;
        if (!Vector256.IsHardwareAccelerated)
        {
            Portable(a, lda, packed, k, n, panels, c, ldc, m, alpha, accumulate);
            return;
        }

        Span<float> tile = stackalloc float[Rows * PackedB.Width];
        for (var p = 0; p < panels; p++)
        {
            var col0 = p * PackedB.Width;
            var cols = Math.Min(PackedB.Width, n - col0);
            var panel = packed.Slice(p * k * PackedB.Width, k * PackedB.Width);
            var i = 0;
            for (; i + Rows <= m; i += Rows)
            {
                Kernel4(a[(i * lda)..], lda, panel, k, tile);
                Store(tile, Rows, cols, c[((i * ldc) + col0)..], ldc, alpha, accumulate);
            }

            for (; i < m; i++)
            {
                Kernel1(a[(i * lda)..], panel, k, tile);
                Store(tile, 1, cols, c[((i * ldc) + col0)..], ldc, alpha, accumulate);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MulAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : (a * b) + c;

    private static void Kernel4(ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> panel, int k, Span<float> tile)
    {
        ref var a0 = ref Unsafe.AsRef(in a[0]);
        ref var a1 = ref Unsafe.Add(ref a0, lda);
        ref var a2 = ref Unsafe.Add(ref a0, 2 * lda);
        ref var a3 = ref Unsafe.Add(ref a0, 3 * lda);
        ref var bp = ref Unsafe.AsRef(in panel[0]);
        var c00 = Vector256<float>.Zero;
        var c01 = Vector256<float>.Zero;
        var c10 = Vector256<float>.Zero;
        var c11 = Vector256<float>.Zero;
        var c20 = Vector256<float>.Zero;
        var c21 = Vector256<float>.Zero;
        var c30 = Vector256<float>.Zero;
        var c31 = Vector256<float>.Zero;
        for (var p = 0; p < k; p++)
        {
            var b0 = Vector256.LoadUnsafe(ref bp, (nuint)(p * PackedB.Width));
            var b1 = Vector256.LoadUnsafe(ref bp, (nuint)((p * PackedB.Width) + 8));
            var v = Vector256.Create(Unsafe.Add(ref a0, p));
            c00 = MulAdd(v, b0, c00);
            c01 = MulAdd(v, b1, c01);
            v = Vector256.Create(Unsafe.Add(ref a1, p));
            c10 = MulAdd(v, b0, c10);
            c11 = MulAdd(v, b1, c11);
            v = Vector256.Create(Unsafe.Add(ref a2, p));
            c20 = MulAdd(v, b0, c20);
            c21 = MulAdd(v, b1, c21);
            v = Vector256.Create(Unsafe.Add(ref a3, p));
            c30 = MulAdd(v, b0, c30);
            c31 = MulAdd(v, b1, c31);
        }

        ref var t = ref tile[0];
        c00.StoreUnsafe(ref t, 0);
        c01.StoreUnsafe(ref t, 8);
        c10.StoreUnsafe(ref t, 16);
        c11.StoreUnsafe(ref t, 24);
        c20.StoreUnsafe(ref t, 32);
        c21.StoreUnsafe(ref t, 40);
        c30.StoreUnsafe(ref t, 48);
        c31.StoreUnsafe(ref t, 56);
    }

    private static void Kernel1(ReadOnlySpan<float> a, ReadOnlySpan<float> panel, int k, Span<float> tile)
    {
        ref var a0 = ref Unsafe.AsRef(in a[0]);
        ref var bp = ref Unsafe.AsRef(in panel[0]);
        var c0 = Vector256<float>.Zero;
        var c1 = Vector256<float>.Zero;
        for (var p = 0; p < k; p++)
        {
            var v = Vector256.Create(Unsafe.Add(ref a0, p));
            c0 = MulAdd(v, Vector256.LoadUnsafe(ref bp, (nuint)(p * PackedB.Width)), c0);
            c1 = MulAdd(v, Vector256.LoadUnsafe(ref bp, (nuint)((p * PackedB.Width) + 8)), c1);
        }

        ref var t = ref tile[0];
        c0.StoreUnsafe(ref t, 0);
        c1.StoreUnsafe(ref t, 8);
    }

    private static void Store(ReadOnlySpan<float> tile, int rows, int cols, Span<float> c, int ldc, float alpha, bool accumulate)
    {
        for (var r = 0; r < rows; r++)
        {
            var src = tile.Slice(r * PackedB.Width, cols);
            var dst = c.Slice(r * ldc, cols);
            if (accumulate)
            {
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(src, alpha, dst, dst);
            }
            else if (alpha == 1f)
            {
                src.CopyTo(dst);
            }
            else
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(src, alpha, dst);
            }
        }
    }

    private static void Portable(ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> packed, int k, int n, int panels, Span<float> c, int ldc, int m, float alpha, bool accumulate)
    {
        Span<float> row = stackalloc float[PackedB.Width];
        for (var p = 0; p < panels; p++)
        {
            var col0 = p * PackedB.Width;
            var cols = Math.Min(PackedB.Width, n - col0);
            var panel = packed.Slice(p * k * PackedB.Width, k * PackedB.Width);
            for (var i = 0; i < m; i++)
            {
                row.Clear();
                var ai = a.Slice(i * lda, k);
                for (var q = 0; q < k; q++)
                {
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(panel.Slice(q * PackedB.Width, PackedB.Width), ai[q], row, row);
                }

                Store(row, 1, cols, c[((i * ldc) + col0)..], ldc, alpha, accumulate);
            }
        }
    }
}
