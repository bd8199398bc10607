using System.Numerics;
using Escala.Onnx.Operators.Broadcasting;

namespace Escala.Onnx.Operators.Elementwise;

/// <summary>A comparison defined once for every numeric type.</summary>
internal interface IComparison
{
    static abstract bool Apply<T>(T a, T b)
        where T : INumber<T>;
}

/// <summary>Adapts an <see cref="IComparison"/> to the broadcasting span operation (T, T) to bool.</summary>
internal readonly struct ComparisonOp<T, TOp> : IBinarySpanOp<T, T, bool>
    where T : INumber<T>
    where TOp : IComparison
{
    public static bool Scalar(T a, T b) => TOp.Apply(a, b);

    public static void VectorVector(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<bool> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = TOp.Apply(a[i], b[i]);
        }
    }

    public static void VectorScalar(ReadOnlySpan<T> a, T b, Span<bool> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = TOp.Apply(a[i], b);
        }
    }

    public static void ScalarVector(T a, ReadOnlySpan<T> b, Span<bool> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = TOp.Apply(a, b[i]);
        }
    }
}

/// <summary>Equality for bool and string, which are not numbers.</summary>
internal readonly struct EqualityOp<T> : IBinarySpanOp<T, T, bool>
{
    public static bool Scalar(T a, T b) => EqualityComparer<T>.Default.Equals(a, b);

    public static void VectorVector(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<bool> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = EqualityComparer<T>.Default.Equals(a[i], b[i]);
        }
    }

    public static void VectorScalar(ReadOnlySpan<T> a, T b, Span<bool> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = EqualityComparer<T>.Default.Equals(a[i], b);
        }
    }

    public static void ScalarVector(T a, ReadOnlySpan<T> b, Span<bool> destination) => VectorScalar(b, a, destination);
}

internal readonly struct EqualOp : IComparison
{
    public static bool Apply<T>(T a, T b) where T : INumber<T> => a == b;
}

internal readonly struct GreaterOp : IComparison
{
    public static bool Apply<T>(T a, T b) where T : INumber<T> => a > b;
}

internal readonly struct LessOp : IComparison
{
    public static bool Apply<T>(T a, T b) where T : INumber<T> => a < b;
}

internal readonly struct GreaterOrEqualOp : IComparison
{
    public static bool Apply<T>(T a, T b) where T : INumber<T> => a >= b;
}

internal readonly struct LessOrEqualOp : IComparison
{
    public static bool Apply<T>(T a, T b) where T : INumber<T> => a <= b;
}
