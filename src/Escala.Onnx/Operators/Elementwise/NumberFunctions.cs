using System.Numerics;
using System.Numerics.Tensors;

namespace Escala.Onnx.Operators.Elementwise;

/// <summary>A function defined once for every numeric type.</summary>
internal interface INumberFunction
{
    static abstract void Apply<T>(ReadOnlySpan<T> x, Span<T> d)
        where T : INumber<T>;
}

/// <summary>Adapts an <see cref="INumberFunction"/> to a unary span operation for one type.</summary>
internal readonly struct NumberUnary<T, TOp> : IUnarySpanOp<T, T>
    where T : INumber<T>
    where TOp : INumberFunction
{
    public static void Apply(ReadOnlySpan<T> x, Span<T> destination) => TOp.Apply(x, destination);
}

internal readonly struct AbsFn : INumberFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> d) where T : INumber<T>
    {
        for (var i = 0; i < d.Length; i++)
        {
            // Wraps for the most negative integer, as ONNX Runtime does.
            d[i] = T.IsNegative(x[i]) ? T.Zero - x[i] : x[i];
        }
    }
}

internal readonly struct NegFn : INumberFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> d) where T : INumber<T>
    {
        for (var i = 0; i < d.Length; i++)
        {
            d[i] = T.Zero - x[i];
        }
    }
}

internal readonly struct ReluFn : INumberFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> d) where T : INumber<T> => TensorPrimitives.Max(x, T.Zero, d);
}

/// <summary>-1, 0 or 1 by sign; NaN stays NaN.</summary>
internal readonly struct SignFn : INumberFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> d) where T : INumber<T>
    {
        for (var i = 0; i < d.Length; i++)
        {
            var v = x[i];
            d[i] = T.IsNaN(v) ? v : T.IsZero(v) ? T.Zero : T.IsNegative(v) ? T.Zero - T.One : T.One;
        }
    }
}
