namespace Escala.Onnx.Operators.Broadcasting;

/// <summary>
/// Numpy-style (multidirectional) broadcasting of up to three operands, reduced to the fewest dims: after
/// dropping size-1 output dims and merging neighbours that broadcast alike, the innermost dim is a
/// contiguous run (stride 1) or a repeated scalar (stride 0) for every operand, so kernels work on spans.
/// </summary>
internal sealed class BroadcastPlan
{
    private readonly int[] _outerSizes;
    private readonly int[][] _outerStrides;

    private BroadcastPlan(int[] outputShape, int length, int innerLength, int[] innerStrides, int[] outerSizes, int[][] outerStrides)
    {
        OutputShape = outputShape;
        OutputLength = length;
        InnerLength = innerLength;
        InnerStrides = innerStrides;
        _outerSizes = outerSizes;
        _outerStrides = outerStrides;
        OuterCount = innerLength == 0 ? 0 : length / innerLength;
    }

    public int[] OutputShape { get; }

    public int OutputLength { get; }

    /// <summary>Elements per chunk.</summary>
    public int InnerLength { get; }

    /// <summary>Per operand: 1 when its chunk is contiguous, 0 when it is one element repeated.</summary>
    public int[] InnerStrides { get; }

    /// <summary>Number of chunks; chunk <c>i</c> of the output starts at <c>i * InnerLength</c>.</summary>
    public int OuterCount { get; }

    /// <summary>The offset of chunk <paramref name="outer"/> in operand <paramref name="operand"/>.</summary>
    public int Offset(int operand, int outer)
    {
        var strides = _outerStrides[operand];
        var offset = 0;
        for (var d = _outerSizes.Length - 1; d >= 0 && outer > 0; d--)
        {
            var size = _outerSizes[d];
            offset += outer % size * strides[d];
            outer /= size;
        }

        return offset;
    }

    /// <summary>The broadcast shape of the operands; throws <see cref="ArgumentException"/> when they do not broadcast.</summary>
    public static int[] Shape(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        if (a.SequenceEqual(b))
        {
            return a.ToArray();
        }

        var rank = Math.Max(a.Length, b.Length);
        var shape = new int[rank];
        for (var i = 0; i < rank; i++)
        {
            var da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            var db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
            {
                throw new ArgumentException($"shapes [{string.Join(',', a.ToArray())}] and [{string.Join(',', b.ToArray())}] cannot be broadcast together");
            }

            shape[i] = da == 1 ? db : da;
        }

        return shape;
    }

    public static BroadcastPlan Create(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => Create(Shape(a, b), [a.ToArray(), b.ToArray()]);

    public static BroadcastPlan Create(ReadOnlySpan<int> a, ReadOnlySpan<int> b, ReadOnlySpan<int> c) =>
        Create(Shape(Shape(a, b), c), [a.ToArray(), b.ToArray(), c.ToArray()]);

    /// <summary>A plan writing into <paramref name="output"/>, which every operand must broadcast to.</summary>
    public static BroadcastPlan Create(int[] output, int[][] operands)
    {
        var rank = output.Length;
        var count = operands.Length;
        var length = 1;
        foreach (var d in output)
        {
            length *= d;
        }

        // Per kept output dim (size > 1): its size and whether each operand repeats along it.
        var sizes = new List<int>(rank);
        var repeats = new List<bool[]>(rank);
        for (var i = 0; i < rank; i++)
        {
            if (output[i] == 1)
            {
                continue;
            }

            var flags = new bool[count];
            for (var k = 0; k < count; k++)
            {
                var op = operands[k];
                var offset = rank - op.Length;
                if (offset < 0)
                {
                    throw new ArgumentException($"shape [{string.Join(',', op)}] cannot be broadcast to [{string.Join(',', output)}]");
                }

                var d = i < offset ? 1 : op[i - offset];
                if (d != output[i] && d != 1)
                {
                    throw new ArgumentException($"shape [{string.Join(',', op)}] cannot be broadcast to [{string.Join(',', output)}]");
                }

                flags[k] = d == 1;
            }

            if (sizes.Count > 0 && repeats[^1].AsSpan().SequenceEqual(flags))
            {
                sizes[^1] *= output[i];
            }
            else
            {
                sizes.Add(output[i]);
                repeats.Add(flags);
            }
        }

        if (sizes.Count == 0)
        {
            sizes.Add(length == 0 ? 0 : 1);
            repeats.Add(new bool[count]);
        }

        var m = sizes.Count;
        var strides = new int[count][];
        for (var k = 0; k < count; k++)
        {
            strides[k] = new int[m];
            var running = 1;
            for (var j = m - 1; j >= 0; j--)
            {
                strides[k][j] = repeats[j][k] ? 0 : running;
                running *= repeats[j][k] ? 1 : sizes[j];
            }
        }

        var inner = new int[count];
        var outerStrides = new int[count][];
        for (var k = 0; k < count; k++)
        {
            inner[k] = strides[k][m - 1];
            outerStrides[k] = strides[k][..(m - 1)];
        }

        return new BroadcastPlan(output, length, sizes[m - 1], inner, [.. sizes.Take(m - 1)], outerStrides);
    }
}
