using Escala.Onnx.Tensors;

namespace Escala.Onnx.Operators.Broadcasting;

/// <summary>Compile-time shape inference helpers over declared dims (fixed, symbolic or unknown).</summary>
internal static class ShapeInference
{
    /// <summary>The broadcast of two declared shapes, or null when either rank is unknown.</summary>
    public static OnnxDim[]? Broadcast(IReadOnlyList<OnnxDim>? a, IReadOnlyList<OnnxDim>? b)
    {
        if (a is null || b is null)
        {
            return null;
        }

        var rank = Math.Max(a.Count, b.Count);
        var dims = new OnnxDim[rank];
        for (var i = 0; i < rank; i++)
        {
            var da = i < rank - a.Count ? new OnnxDim(1) : a[i - (rank - a.Count)];
            var db = i < rank - b.Count ? new OnnxDim(1) : b[i - (rank - b.Count)];
            dims[i] = Merge(da, db);
        }

        return dims;
    }

    /// <summary>The broadcast of several declared shapes, or null when any rank is unknown.</summary>
    public static OnnxDim[]? Broadcast(IEnumerable<IReadOnlyList<OnnxDim>?> shapes)
    {
        OnnxDim[]? result = [];
        foreach (var s in shapes)
        {
            result = Broadcast(result, s);
        }

        return result;
    }

    private static OnnxDim Merge(OnnxDim a, OnnxDim b)
    {
        if (a.Value == 1)
        {
            return b;
        }

        if (b.Value == 1)
        {
            return a;
        }

        if (a.IsFixed)
        {
            return a;
        }

        if (b.IsFixed)
        {
            return b;
        }

        return a.Symbol is not null && a.Symbol == b.Symbol ? a : OnnxDim.Unknown;
    }
}
