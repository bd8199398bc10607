using System.Numerics;
using Escala.Onnx.Execution;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Ml;

/// <summary>
/// The numeric input of the ai.onnx.ml models (float, double, int32 or int64, shaped [N, F] or [F]), viewed as rows
/// of float or double. A tensor already of the wanted type is read in place; other types are converted once per call
/// into pooled scratch memory, as ONNX Runtime converts them to float before scoring.
/// </summary>
internal static class FeatureInput
{
    /// <summary>The element types the classical models accept.</summary>
    public static readonly ElementType[] NumericTypes = [ElementType.Float, ElementType.Double, ElementType.Int64, ElementType.Int32];

    /// <summary>The row dim of an [N, F] or [F] input at compile time (1 for [F], unknown when the rank is).</summary>
    public static OnnxDim RowsDim(KernelBuildContext node, int input = 0) => node.InputShape(input) switch
    {
        { Count: 2 } shape => shape[0],
        { Count: 1 } => 1,
        _ => OnnxDim.Unknown,
    };

    /// <summary>The feature count (last dim) at compile time, or null when unknown.</summary>
    public static int? FeaturesDim(KernelBuildContext node, int input = 0) =>
        node.InputShape(input) is { Count: > 0 } shape && shape[^1].Value is { } f ? (int)f : null;

    /// <summary>Rows and features of an [N, F] or [F] input; any other rank is refused.</summary>
    public static (int Rows, int Features) Shape(KernelContext context, OnnxTensor x)
    {
        return x.Rank switch
        {
            1 => (1, x.Dim(0)),
            2 => (x.Dim(0), x.Dim(1)),
            _ => throw context.Fail($"the input must be [N, F] or [F]; got {x}"),
        };
    }

    /// <summary>The input's elements as <typeparamref name="T"/> (float or double).</summary>
    public static ReadOnlySpan<T> As<T>(KernelContext context, OnnxTensor x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x is OnnxTensor<T> same)
        {
            return same.Span;
        }

        var converted = context.Scratch<T>(x.Length);
        switch (x)
        {
            case OnnxTensor<float> f:
                Convert(f.Span, converted);
                break;
            case OnnxTensor<double> d:
                Convert(d.Span, converted);
                break;
            case OnnxTensor<long> l:
                Convert(l.Span, converted);
                break;
            case OnnxTensor<int> n:
                Convert(n.Span, converted);
                break;
            default:
                throw context.Fail($"input {x} is not float, double, int32 or int64");
        }

        return converted;
    }

    private static void Convert<TFrom, T>(ReadOnlySpan<TFrom> from, Span<T> to)
        where TFrom : INumberBase<TFrom>
        where T : INumberBase<T>
    {
        for (var i = 0; i < from.Length; i++)
        {
            to[i] = T.CreateChecked(from[i]);
        }
    }
}
