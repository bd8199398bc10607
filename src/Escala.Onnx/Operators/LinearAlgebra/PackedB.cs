namespace Escala.Onnx.Operators.LinearAlgebra;

/// <summary>
/// The right-hand matrix of a float product (K x N) rearranged into panels of <see cref="Width"/> columns,
/// each panel K rows of contiguous floats, zero-padded on the right: what the micro-kernel streams.
/// Weights are packed once at compile time; other operands per call.
/// </summary>
internal sealed class PackedB
{
    public const int Width = 16;

    /// <summary>Up to this many columns, products are dot products over B's columns instead of padded panels.</summary>
    public const int NarrowLimit = 4;

    public PackedB(int k, int n, float[] data, float[]? columns = null)
    {
        K = k;
        N = n;
        Data = data;
        Columns = columns;
    }

    public int K { get; }

    public int N { get; }

    public int Panels => (N + Width - 1) / Width;

    /// <summary>Panel p occupies <c>[p * K * Width, (p + 1) * K * Width)</c>.</summary>
    public float[] Data { get; }

    /// <summary>For a narrow B (N &lt;= <see cref="NarrowLimit"/>): column j at <c>[j * K, (j + 1) * K)</c>; otherwise null.</summary>
    public float[]? Columns { get; }

    public static long PackedLength(int k, int n) => (long)((n + Width - 1) / Width) * k * Width;

    /// <summary>Packs B (K x N row-major, or N x K when <paramref name="transposed"/>) into <paramref name="destination"/>.</summary>
    public static void Pack(ReadOnlySpan<float> b, int k, int n, bool transposed, Span<float> destination)
    {
        var panels = (n + Width - 1) / Width;
        for (var p = 0; p < panels; p++)
        {
            var col0 = p * Width;
            var cols = Math.Min(Width, n - col0);
            var panel = destination.Slice(p * k * Width, k * Width);
            for (var r = 0; r < k; r++)
            {
                var row = panel.Slice(r * Width, Width);
                if (!transposed)
                {
                    b.Slice((r * n) + col0, cols).CopyTo(row);
                }
                else
                {
                    for (var c = 0; c < cols; c++)
                    {
                        row[c] = b[((col0 + c) * k) + r];
                    }
                }

                row[cols..].Clear();
            }
        }
    }

    public static PackedB Create(ReadOnlySpan<float> b, int k, int n, bool transposed)
    {
        var data = new float[PackedLength(k, n)];
        Pack(b, k, n, transposed, data);
        float[]? columns = null;
        if (n <= NarrowLimit)
        {
            columns = new float[n * k];
            for (var j = 0; j < n; j++)
            {
                for (var p = 0; p < k; p++)
                {
                    columns[(j * k) + p] = transposed ? b[(j * k) + p] : b[(p * n) + j];
                }
            }
        }

        return new PackedB(k, n, data, columns);
    }
}
