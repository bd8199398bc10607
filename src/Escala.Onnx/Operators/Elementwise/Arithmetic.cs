using System.Numerics;
using System.Numerics.Tensors;
using Escala.Onnx.Operators.Broadcasting;

namespace Escala.Onnx.Operators.Elementwise;

/// <summary>An arithmetic operation defined once for every numeric type (vectorised by TensorPrimitives).</summary>
internal interface IArithmetic
{
    static abstract T Apply<T>(T a, T b)
        where T : INumber<T>;

    static abstract void Apply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d)
        where T : INumber<T>;

    static abstract void Apply<T>(ReadOnlySpan<T> a, T b, Span<T> d)
        where T : INumber<T>;

    static abstract void Apply<T>(T a, ReadOnlySpan<T> b, Span<T> d)
        where T : INumber<T>;
}

/// <summary>Adapts an <see cref="IArithmetic"/> to the broadcasting span operation for one type.</summary>
internal readonly struct ArithmeticOp<T, TOp> : IBinarySpanOp<T, T, T>
    where T : INumber<T>
    where TOp : IArithmetic
{
    public static T Scalar(T a, T b) => TOp.Apply(a, b);

    public static void VectorVector(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> destination) => TOp.Apply(a, b, destination);

    public static void VectorScalar(ReadOnlySpan<T> a, T b, Span<T> destination) => TOp.Apply(a, b, destination);

    public static void ScalarVector(T a, ReadOnlySpan<T> b, Span<T> destination) => TOp.Apply(a, b, destination);
}

internal readonly struct AddOp : IArithmetic
{
    public static T Apply<T>(T a, T b) where T : INumber<T> => a + b;

    public static void Apply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : INumber<T> => TensorPrimitives.Add(a, b, d);

    public static void Apply<T>(ReadOnlySpan<T> a, T b, Span<T> d) where T : INumber<T> => TensorPrimitives.Add(a, b, d);

    public static void Apply<T>(T a, ReadOnlySpan<T> b, Span<T> d) where T : INumber<T> => TensorPrimitives.Add(b, a, d);
}

internal readonly struct SubOp : IArithmetic
{
    public static T Apply<T>(T a, T b) where T : INumber<T> => a - b;

    public static void Apply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : INumber<T> => TensorPrimitives.Subtract(a, b, d);

    public static void Apply<T>(ReadOnlySpan<T> a, T b, Span<T> d) where T : INumber<T> => TensorPrimitives.Subtract(a, b, d);

    public static void Apply<T>(T a, ReadOnlySpan<T> b, Span<T> d) where T : INumber<T> => TensorPrimitives.Subtract(a, b, d);
}

internal readonly struct MulOp : IArithmetic
{
    public static T Apply<T>(T a, T b) where T : INumber<T> => a * b;

    public static void Apply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : INumber<T> => TensorPrimitives.Multiply(a, b, d);

    public static void Apply<T>(ReadOnlySpan<T> a, T b, Span<T> d) where T : INumber<T> => TensorPrimitives.Multiply(a, b, d);

    public static void Apply<T>(T a, ReadOnlySpan<T> b, Span<T> d) where T : INumber<T> => TensorPrimitives.Multiply(b, a, d);
}

internal readonly struct DivOp : IArithmetic
{
    public static T Apply<T>(T a, T b) where T : INumber<T> => a / b;

    public static void Apply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : INumber<T> => TensorPrimitives.Divide(a, b, d);

    public static void Apply<T>(ReadOnlySpan<T> a, T b, Span<T> d) where T : INumber<T> => TensorPrimitives.Divide(a, b, d);

    public static void Apply<T>(T a, ReadOnlySpan<T> b, Span<T> d) where T : INumber<T> => TensorPrimitives.Divide(a, b, d);
}

/// <summary>Element-wise maximum; NaN wins, as numpy's maximum does.</summary>
internal readonly struct MaxOp : IArithmetic
{
    public static T Apply<T>(T a, T b) where T : INumber<T> => T.Max(a, b);

    public static void Apply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : INumber<T> => TensorPrimitives.Max(a, b, d);

    public static void Apply<T>(ReadOnlySpan<T> a, T b, Span<T> d) where T : INumber<T> => TensorPrimitives.Max(a, b, d);

    public static void Apply<T>(T a, ReadOnlySpan<T> b, Span<T> d) where T : INumber<T> => TensorPrimitives.Max(b, a, d);
}

/// <summary>Element-wise minimum; NaN wins, as numpy's minimum does.</summary>
internal readonly struct MinOp : IArithmetic
{
    public static T Apply<T>(T a, T b) where T : INumber<T> => T.Min(a, b);

    public static void Apply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : INumber<T> => TensorPrimitives.Min(a, b, d);

    public static void Apply<T>(ReadOnlySpan<T> a, T b, Span<T> d) where T : INumber<T> => TensorPrimitives.Min(a, b, d);

    public static void Apply<T>(T a, ReadOnlySpan<T> b, Span<T> d) where T : INumber<T> => TensorPrimitives.Min(b, a, d);
}
