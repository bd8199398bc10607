using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Escala.Onnx.Operators.LinearAlgebra;

/// <summary>
/// Single-precision matrix product <c>C = alpha * A * B + bias (+ C when accumulating)</c>, A row-major M x K,
/// B packed in 16-column panels (<see cref="PackedB"/>), bias an optional row of N added to every row.
/// Register-blocked micro-kernels keep a block of C in vector registers for the whole K loop (8 x 16 with
/// AVX-512, 4 x 16 with 256-bit vectors, a portable loop elsewhere), so each loaded value feeds several fused multiply-adds, and write
/// the block once with alpha, bias and accumulation applied.
/// </summary>
internal static class FloatGemm
{
    private const int Width = PackedB.Width;

    /// <summary>C = alpha * A * B + bias (+ C) with B packed at compile time; <paramref name="relu"/> clamps the result at 0.</summary>
    public static void Multiply(
        ReadOnlySpan<float> a, int lda, PackedB b, Span<float> c, int ldc, int m, float alpha, bool accumulate, ReadOnlySpan<float> bias = default, bool relu = false)
    {
        if (b.Columns is { } columns)
        {
            Narrow(a, lda, columns, b.K, b.N, c, ldc, m, alpha, accumulate, bias, relu);
            return;
        }

        Multiply(a, lda, b.Data, b.K, b.N, c, ldc, m, alpha, accumulate, bias, relu);
    }

    /// <summary>C = alpha * A * B + bias (+ C) with B given as packed panels of a K x N matrix.</summary>
    public static void Multiply(
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> packed, int k, int n, Span<float> c, int ldc, int m, float alpha, bool accumulate, ReadOnlySpan<float> bias = default, bool relu = false)
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        Span<float> biasTile = stackalloc float[Width];
        Span<float> tile = stackalloc float[12 * Width];
        var panels = (n + Width - 1) / Width;
        for (var p = 0; p < panels; p++)
        {
            var col0 = p * Width;
            var cols = Math.Min(Width, n - col0);
            biasTile.Clear();
            if (!bias.IsEmpty)
            {
                bias.Slice(col0, cols).CopyTo(biasTile);
            }

            var panel = packed.Slice(p * k * Width, k * Width);
            var block = new Block(c[col0..], ldc, cols, alpha, accumulate, biasTile, relu);
            var i = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                for (; i + 12 <= m; i += 12)
                {
                    Rows12(a[(i * lda)..], lda, panel, k, tile);
                    block.At(i).Finish512(tile, 12);
                }

                for (; i + 8 <= m; i += 8)
                {
                    Rows8(a[(i * lda)..], lda, panel, k, tile);
                    block.At(i).Finish512(tile, 8);
                }

                for (; i < m; i++)
                {
                    Rows1(a[(i * lda)..], panel, k, tile);
                    block.At(i).Finish512(tile, 1);
                }
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                for (; i + 4 <= m; i += 4)
                {
                    Rows4(a[(i * lda)..], lda, panel, k, tile);
                    block.At(i).Finish256(tile, 4);
                }
            }

            for (; i < m; i++)
            {
                Portable(a.Slice(i * lda, k), panel, k, block.At(i));
            }
        }
    }

    /// <summary>Where a block of C goes and how it is finished (alpha, bias, accumulate).</summary>
    private readonly ref struct Block(Span<float> c, int ldc, int cols, float alpha, bool accumulate, ReadOnlySpan<float> bias, bool relu)
    {
        private readonly Span<float> _c = c;
        private readonly ReadOnlySpan<float> _bias = bias;

        public int Ldc { get; } = ldc;

        public int Cols { get; } = cols;

        public float Alpha { get; } = alpha;

        public bool Accumulate { get; } = accumulate;

        public bool Relu { get; } = relu;

        public Block At(int row) => new(_c[(row * Ldc)..], Ldc, Cols, Alpha, Accumulate, _bias, Relu);

        /// <summary>Writes <paramref name="rows"/> rows of raw products from <paramref name="tile"/> (16 floats each).</summary>
        public void Finish512(ReadOnlySpan<float> tile, int rows)
        {
            ref var t = ref MemoryMarshal.GetReference(tile);
            var alpha = Vector512.Create(Alpha);
            var bias = Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(_bias));
            for (var r = 0; r < rows; r++)
            {
                var v = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref t, (nuint)(r * Width)), alpha, bias);
                if (Cols != Width)
                {
                    StorePartial(r, v.GetLower(), v.GetUpper());
                    continue;
                }

                ref var d = ref Unsafe.Add(ref MemoryMarshal.GetReference(_c), r * Ldc);
                if (Accumulate)
                {
                    v += Vector512.LoadUnsafe(ref d);
                }

                if (Relu)
                {
                    v = Vector512.Max(v, Vector512<float>.Zero);
                }

                v.StoreUnsafe(ref d);
            }
        }

        /// <summary>The same with 256-bit vectors.</summary>
        public void Finish256(ReadOnlySpan<float> tile, int rows)
        {
            ref var t = ref MemoryMarshal.GetReference(tile);
            ref var b = ref MemoryMarshal.GetReference(_bias);
            var alpha = Vector256.Create(Alpha);
            var biasLow = Vector256.LoadUnsafe(ref b);
            var biasHigh = Vector256.LoadUnsafe(ref b, 8);
            for (var r = 0; r < rows; r++)
            {
                var lo = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref t, (nuint)(r * Width)), alpha, biasLow);
                var hi = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref t, (nuint)((r * Width) + 8)), alpha, biasHigh);
                if (Cols != Width)
                {
                    StorePartial(r, lo, hi);
                    continue;
                }

                ref var d = ref Unsafe.Add(ref MemoryMarshal.GetReference(_c), r * Ldc);
                if (Accumulate)
                {
                    lo += Vector256.LoadUnsafe(ref d);
                    hi += Vector256.LoadUnsafe(ref d, 8);
                }

                if (Relu)
                {
                    lo = Vector256.Max(lo, Vector256<float>.Zero);
                    hi = Vector256.Max(hi, Vector256<float>.Zero);
                }

                lo.StoreUnsafe(ref d);
                hi.StoreUnsafe(ref d, 8);
            }
        }

        // The last panel of a width that is not a multiple of 16: kept out of the hot path.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private void StorePartial(int row, Vector256<float> lo, Vector256<float> hi)
        {
            Span<float> tile = stackalloc float[Width];
            lo.StoreUnsafe(ref MemoryMarshal.GetReference(tile));
            hi.StoreUnsafe(ref MemoryMarshal.GetReference(tile), 8);
            var dst = _c.Slice(row * Ldc, Cols);
            if (Accumulate)
            {
                TensorPrimitives.Add(dst, tile[..Cols], dst);
            }
            else
            {
                tile[..Cols].CopyTo(dst);
            }

            if (Relu)
            {
                TensorPrimitives.Max(dst, 0f, dst);
            }
        }

        public void StoreRow(ReadOnlySpan<float> acc)
        {
            var dst = _c[..Cols];
            for (var j = 0; j < Cols; j++)
            {
                var v = (Alpha * acc[j]) + _bias[j];
                v = Accumulate ? dst[j] + v : v;
                dst[j] = Relu ? Math.Max(v, 0f) : v;
            }
        }
    }

    /// <summary>Few columns: each output is a dot product of a row of A with a column of B (no padded panels).</summary>
    private static void Narrow(
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> columns, int k, int n, Span<float> c, int ldc, int m, float alpha, bool accumulate, ReadOnlySpan<float> bias, bool relu)
    {
        for (var i = 0; i < m; i++)
        {
            var row = a.Slice(i * lda, k);
            var dst = c.Slice(i * ldc, n);
            for (var j = 0; j < n; j++)
            {
                var v = (alpha * TensorPrimitives.Dot(row, columns.Slice(j * k, k))) + (bias.IsEmpty ? 0f : bias[j]);
                v = accumulate ? dst[j] + v : v;
                dst[j] = relu ? Math.Max(v, 0f) : v;
            }
        }
    }

    private static void Rows12(ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> panel, int k, Span<float> tile)
    {
        ref var a0 = ref MemoryMarshal.GetReference(a);
        ref var a6 = ref Unsafe.Add(ref a0, 6 * lda);
        ref var bp = ref MemoryMarshal.GetReference(panel);
        var c0 = Vector512<float>.Zero;
        var c1 = Vector512<float>.Zero;
        var c2 = Vector512<float>.Zero;
        var c3 = Vector512<float>.Zero;
        var c4 = Vector512<float>.Zero;
        var c5 = Vector512<float>.Zero;
        var c6 = Vector512<float>.Zero;
        var c7 = Vector512<float>.Zero;
        var c8 = Vector512<float>.Zero;
        var c9 = Vector512<float>.Zero;
        var c10 = Vector512<float>.Zero;
        var c11 = Vector512<float>.Zero;
        nint l1 = lda, l2 = 2 * lda, l3 = 3 * lda, l4 = 4 * lda, l5 = 5 * lda;
        for (nint p = 0; p < k; p++)
        {
            var b = Vector512.LoadUnsafe(ref bp, (nuint)(p * Width));
            ref var ap = ref Unsafe.Add(ref a0, p);
            ref var aq = ref Unsafe.Add(ref a6, p);
            c0 = Vector512.FusedMultiplyAdd(Vector512.Create(ap), b, c0);
            c1 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref ap, l1)), b, c1);
            c2 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref ap, l2)), b, c2);
            c3 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref ap, l3)), b, c3);
            c4 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref ap, l4)), b, c4);
            c5 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref ap, l5)), b, c5);
            c6 = Vector512.FusedMultiplyAdd(Vector512.Create(aq), b, c6);
            c7 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref aq, l1)), b, c7);
            c8 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref aq, l2)), b, c8);
            c9 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref aq, l3)), b, c9);
            c10 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref aq, l4)), b, c10);
            c11 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref aq, l5)), b, c11);
        }

        ref var t = ref MemoryMarshal.GetReference(tile);
        c0.StoreUnsafe(ref t, 0);
        c1.StoreUnsafe(ref t, 16);
        c2.StoreUnsafe(ref t, 32);
        c3.StoreUnsafe(ref t, 48);
        c4.StoreUnsafe(ref t, 64);
        c5.StoreUnsafe(ref t, 80);
        c6.StoreUnsafe(ref t, 96);
        c7.StoreUnsafe(ref t, 112);
        c8.StoreUnsafe(ref t, 128);
        c9.StoreUnsafe(ref t, 144);
        c10.StoreUnsafe(ref t, 160);
        c11.StoreUnsafe(ref t, 176);
    }

    private static void Rows8(ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> panel, int k, Span<float> tile)
    {
        ref var a0 = ref MemoryMarshal.GetReference(a);
        ref var bp = ref MemoryMarshal.GetReference(panel);
        var c0 = Vector512<float>.Zero;
        var c1 = Vector512<float>.Zero;
        var c2 = Vector512<float>.Zero;
        var c3 = Vector512<float>.Zero;
        var c4 = Vector512<float>.Zero;
        var c5 = Vector512<float>.Zero;
        var c6 = Vector512<float>.Zero;
        var c7 = Vector512<float>.Zero;
        nint l1 = lda, l2 = 2 * lda, l3 = 3 * lda, l4 = 4 * lda, l5 = 5 * lda, l6 = 6 * lda, l7 = 7 * lda;
        for (nint p = 0; p < k; p++)
        {
            var b = Vector512.LoadUnsafe(ref bp, (nuint)(p * Width));
            ref var ap = ref Unsafe.Add(ref a0, p);
            c0 = Vector512.FusedMultiplyAdd(Vector512.Create(ap), b, c0);
            c1 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref ap, l1)), b, c1);
            c2 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref ap, l2)), b, c2);
            c3 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref ap, l3)), b, c3);
            c4 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref ap, l4)), b, c4);
            c5 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref ap, l5)), b, c5);
            c6 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref ap, l6)), b, c6);
            c7 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref ap, l7)), b, c7);
        }

        // Straight to memory after the loop: nothing may force the accumulators out of registers inside it.
        ref var t = ref MemoryMarshal.GetReference(tile);
        c0.StoreUnsafe(ref t, 0);
        c1.StoreUnsafe(ref t, 16);
        c2.StoreUnsafe(ref t, 32);
        c3.StoreUnsafe(ref t, 48);
        c4.StoreUnsafe(ref t, 64);
        c5.StoreUnsafe(ref t, 80);
        c6.StoreUnsafe(ref t, 96);
        c7.StoreUnsafe(ref t, 112);
    }

    private static void Rows4(ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> panel, int k, Span<float> tile)
    {
        ref var a0 = ref MemoryMarshal.GetReference(a);
        ref var bp = ref MemoryMarshal.GetReference(panel);
        var c00 = Vector256<float>.Zero;
        var c01 = Vector256<float>.Zero;
        var c10 = Vector256<float>.Zero;
        var c11 = Vector256<float>.Zero;
        var c20 = Vector256<float>.Zero;
        var c21 = Vector256<float>.Zero;
        var c30 = Vector256<float>.Zero;
        var c31 = Vector256<float>.Zero;
        nint l1 = lda, l2 = 2 * lda, l3 = 3 * lda;
        for (nint p = 0; p < k; p++)
        {
            var b0 = Vector256.LoadUnsafe(ref bp, (nuint)(p * Width));
            var b1 = Vector256.LoadUnsafe(ref bp, (nuint)((p * Width) + 8));
            ref var ap = ref Unsafe.Add(ref a0, p);
            var v = Vector256.Create(ap);
            c00 = Vector256.FusedMultiplyAdd(v, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(v, b1, c01);
            v = Vector256.Create(Unsafe.Add(ref ap, l1));
            c10 = Vector256.FusedMultiplyAdd(v, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(v, b1, c11);
            v = Vector256.Create(Unsafe.Add(ref ap, l2));
            c20 = Vector256.FusedMultiplyAdd(v, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(v, b1, c21);
            v = Vector256.Create(Unsafe.Add(ref ap, l3));
            c30 = Vector256.FusedMultiplyAdd(v, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(v, b1, c31);
        }

        ref var t = ref MemoryMarshal.GetReference(tile);
        c00.StoreUnsafe(ref t, 0);
        c01.StoreUnsafe(ref t, 8);
        c10.StoreUnsafe(ref t, 16);
        c11.StoreUnsafe(ref t, 24);
        c20.StoreUnsafe(ref t, 32);
        c21.StoreUnsafe(ref t, 40);
        c30.StoreUnsafe(ref t, 48);
        c31.StoreUnsafe(ref t, 56);
    }

    private static void Rows1(ReadOnlySpan<float> a, ReadOnlySpan<float> panel, int k, Span<float> tile)
    {
        ref var a0 = ref MemoryMarshal.GetReference(a);
        ref var bp = ref MemoryMarshal.GetReference(panel);

        // Two chains over alternate k halve the dependency on one register's FMA latency.
        var c0 = Vector512<float>.Zero;
        var c1 = Vector512<float>.Zero;
        nint p = 0;
        for (; p + 1 < k; p += 2)
        {
            c0 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a0, p)), Vector512.LoadUnsafe(ref bp, (nuint)(p * Width)), c0);
            c1 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a0, p + 1)), Vector512.LoadUnsafe(ref bp, (nuint)((p + 1) * Width)), c1);
        }

        if (p < k)
        {
            c0 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a0, p)), Vector512.LoadUnsafe(ref bp, (nuint)(p * Width)), c0);
        }

        (c0 + c1).StoreUnsafe(ref MemoryMarshal.GetReference(tile));
    }

    private static void Portable(ReadOnlySpan<float> a, ReadOnlySpan<float> panel, int k, Block block)
    {
        Span<float> row = stackalloc float[Width];
        row.Clear();
        for (var q = 0; q < k; q++)
        {
            TensorPrimitives.MultiplyAdd(panel.Slice(q * Width, Width), a[q], row, row);
        }

        block.StoreRow(row);
    }
}
