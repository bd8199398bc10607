namespace Escala.Onnx.Operators.Broadcasting;

/// <summary>Copies a tensor into a larger shape it broadcasts to (repeating along broadcast dims).</summary>
internal static class BroadcastCopy
{
    public static void Copy<T>(ReadOnlySpan<T> source, int[] sourceShape, Span<T> destination, int[] destinationShape)
    {
        if (destination.IsEmpty)
        {
            return;
        }

        if (source.Length == destination.Length)
        {
            source.CopyTo(destination);
            return;
        }

        if (source.Length == 1)
        {
            destination.Fill(source[0]);
            return;
        }

        var plan = BroadcastPlan.Create(destinationShape, [sourceShape]);
        var n = plan.InnerLength;
        var contiguous = plan.InnerStrides[0] == 1;
        for (var o = 0; o < plan.OuterCount; o++)
        {
            var offset = plan.Offset(0, o);
            var dst = destination.Slice(o * n, n);
            if (contiguous)
            {
                source.Slice(offset, n).CopyTo(dst);
            }
            else
            {
                dst.Fill(source[offset]);
            }
        }
    }
}
