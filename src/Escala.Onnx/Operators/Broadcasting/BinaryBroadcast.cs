namespace Escala.Onnx.Operators.Broadcasting;

/// <summary>Applies a binary span operation over two broadcast operands, chunk by chunk.</summary>
internal static class BinaryBroadcast
{
    public static void Apply<T1, T2, TOut, TOp>(ReadOnlySpan<T1> a, ReadOnlySpan<int> shapeA, ReadOnlySpan<T2> b, ReadOnlySpan<int> shapeB, Span<TOut> destination, int[] outputShape)
        where TOp : IBinarySpanOp<T1, T2, TOut>
    {
        if (destination.IsEmpty)
        {
            return;
        }

        // Fast paths: same shape, or one side a single element.
        if (a.Length == destination.Length && b.Length == destination.Length)
        {
            TOp.VectorVector(a, b, destination);
            return;
        }

        if (b.Length == 1 && a.Length == destination.Length)
        {
            TOp.VectorScalar(a, b[0], destination);
            return;
        }

        if (a.Length == 1 && b.Length == destination.Length)
        {
            TOp.ScalarVector(a[0], b, destination);
            return;
        }

        var plan = BroadcastPlan.Create(outputShape, [shapeA.ToArray(), shapeB.ToArray()]);
        var n = plan.InnerLength;
        var sa = plan.InnerStrides[0];
        var sb = plan.InnerStrides[1];
        for (var o = 0; o < plan.OuterCount; o++)
        {
            var oa = plan.Offset(0, o);
            var ob = plan.Offset(1, o);
            var d = destination.Slice(o * n, n);
            if (sa == 1 && sb == 1)
            {
                TOp.VectorVector(a.Slice(oa, n), b.Slice(ob, n), d);
            }
            else if (sa == 1)
            {
                TOp.VectorScalar(a.Slice(oa, n), b[ob], d);
            }
            else if (sb == 1)
            {
                TOp.ScalarVector(a[oa], b.Slice(ob, n), d);
            }
            else
            {
                d.Fill(TOp.Scalar(a[oa], b[ob]));
            }
        }
    }
}
