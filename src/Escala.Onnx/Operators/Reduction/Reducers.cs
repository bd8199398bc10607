using System.Numerics;
using System.Numerics.Tensors;

namespace Escala.Onnx.Operators.Reduction;

/// <summary>Reduces one contiguous row to a value; an empty row gives the reduction's identity.</summary>
internal interface IReducer
{
    static abstract T Reduce<T>(ReadOnlySpan<T> row)
        where T : INumber<T>;
}

internal readonly struct SumReducer : IReducer
{
    public static T Reduce<T>(ReadOnlySpan<T> row) where T : INumber<T> => TensorPrimitives.Sum(row);
}

internal readonly struct MeanReducer : IReducer
{
    public static T Reduce<T>(ReadOnlySpan<T> row) where T : INumber<T> =>
        row.IsEmpty ? T.CreateSaturating(double.NaN) : TensorPrimitives.Sum(row) / T.CreateTruncating(row.Length);
}

internal readonly struct MaxReducer : IReducer
{
    public static T Reduce<T>(ReadOnlySpan<T> row) where T : INumber<T> =>
        row.IsEmpty ? T.CreateSaturating(double.NegativeInfinity) : TensorPrimitives.Max(row);
}

internal readonly struct MinReducer : IReducer
{
    public static T Reduce<T>(ReadOnlySpan<T> row) where T : INumber<T> =>
        row.IsEmpty ? T.CreateSaturating(double.PositiveInfinity) : TensorPrimitives.Min(row);
}

internal readonly struct ProdReducer : IReducer
{
    public static T Reduce<T>(ReadOnlySpan<T> row) where T : INumber<T> => row.IsEmpty ? T.One : TensorPrimitives.Product(row);
}

internal readonly struct SumSquareReducer : IReducer
{
    public static T Reduce<T>(ReadOnlySpan<T> row) where T : INumber<T> => TensorPrimitives.SumOfSquares(row);
}

internal readonly struct L1Reducer : IReducer
{
    public static T Reduce<T>(ReadOnlySpan<T> row) where T : INumber<T>
    {
        var sum = T.Zero;
        foreach (var v in row)
        {
            sum += T.Abs(v);
        }

        return sum;
    }
}

internal readonly struct L2Reducer : IReducer
{
    public static T Reduce<T>(ReadOnlySpan<T> row) where T : INumber<T>
    {
        var sum = 0.0;
        foreach (var v in row)
        {
            var d = double.CreateTruncating(v);
            sum += d * d;
        }

        return T.CreateTruncating(Math.Sqrt(sum));
    }
}

/// <summary>log(sum(exp(x))), shifted by the maximum so it cannot overflow.</summary>
internal readonly struct LogSumExpReducer : IReducer
{
    public static T Reduce<T>(ReadOnlySpan<T> row) where T : INumber<T>
    {
        if (row.IsEmpty)
        {
            return T.CreateSaturating(double.NegativeInfinity);
        }

        var max = double.NegativeInfinity;
        foreach (var v in row)
        {
            max = Math.Max(max, double.CreateTruncating(v));
        }

        if (double.IsInfinity(max))
        {
            return T.CreateSaturating(max);
        }

        var sum = 0.0;
        foreach (var v in row)
        {
            sum += Math.Exp(double.CreateTruncating(v) - max);
        }

        return T.CreateTruncating(max + Math.Log(sum));
    }
}
