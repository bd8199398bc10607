using System.Numerics;
using System.Numerics.Tensors;

namespace Escala.Onnx.Operators.Elementwise;

/// <summary>A function of floating-point numbers defined once for float, double and half.</summary>
internal interface IFloatFunction
{
    static abstract void Apply<T>(ReadOnlySpan<T> x, Span<T> d)
        where T : IFloatingPointIeee754<T>;
}

/// <summary>Adapts an <see cref="IFloatFunction"/> to a unary span operation for one type.</summary>
internal readonly struct FloatUnary<T, TOp> : IUnarySpanOp<T, T>
    where T : IFloatingPointIeee754<T>
    where TOp : IFloatFunction
{
    public static void Apply(ReadOnlySpan<T> x, Span<T> destination) => TOp.Apply(x, destination);
}

internal readonly struct ExpFn : IFloatFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> d) where T : IFloatingPointIeee754<T> => TensorPrimitives.Exp(x, d);
}

internal readonly struct LogFn : IFloatFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> d) where T : IFloatingPointIeee754<T> => TensorPrimitives.Log(x, d);
}

internal readonly struct SqrtFn : IFloatFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> d) where T : IFloatingPointIeee754<T> => TensorPrimitives.Sqrt(x, d);
}

internal readonly struct SigmoidFn : IFloatFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> d) where T : IFloatingPointIeee754<T> => TensorPrimitives.Sigmoid(x, d);
}

internal readonly struct TanhFn : IFloatFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> d) where T : IFloatingPointIeee754<T> => TensorPrimitives.Tanh(x, d);
}

internal readonly struct FloorFn : IFloatFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> d) where T : IFloatingPointIeee754<T> => TensorPrimitives.Floor(x, d);
}

internal readonly struct CeilFn : IFloatFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> d) where T : IFloatingPointIeee754<T> => TensorPrimitives.Ceiling(x, d);
}

/// <summary>Round half to even, as ONNX specifies.</summary>
internal readonly struct RoundFn : IFloatFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> d) where T : IFloatingPointIeee754<T> => TensorPrimitives.Round(x, MidpointRounding.ToEven, d);
}

internal readonly struct ReciprocalFn : IFloatFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> d) where T : IFloatingPointIeee754<T> => TensorPrimitives.Reciprocal(x, d);
}

internal readonly struct ErfFn : IFloatFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> d) where T : IFloatingPointIeee754<T>
    {
        for (var i = 0; i < d.Length; i++)
        {
            d[i] = T.CreateTruncating(ErrorFunction.Erf(double.CreateTruncating(x[i])));
        }
    }
}

/// <summary>log(1 + exp(x)), computed without overflow for large x.</summary>
internal readonly struct SoftplusFn : IFloatFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> d) where T : IFloatingPointIeee754<T>
    {
        for (var i = 0; i < d.Length; i++)
        {
            var v = double.CreateTruncating(x[i]);
            var r = v > 0 ? v + Math.Log(1 + Math.Exp(-v)) : Math.Log(1 + Math.Exp(v));
            d[i] = T.CreateTruncating(r);
        }
    }
}
