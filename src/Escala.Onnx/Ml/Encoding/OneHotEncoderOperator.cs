using Escala.Onnx.Execution;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Ml.Encoding;

/// <summary>
/// OneHotEncoder: each element becomes a row of zeros with a one at its category's position; the output is the
/// input's shape plus one axis of <c>cats</c> floats. Numbers are truncated to int64 and looked up in
/// <c>cats_int64s</c>; strings in <c>cats_strings</c> (a number never matches a string category, and the other way
/// round). An unknown value gives all zeros, or an error when <c>zeros</c> is 0. A repeated category answers its
/// last position.
/// </summary>
internal static class OneHotEncoderOperator
{
    private static readonly ElementType[] Types = [ElementType.String, ElementType.Int64, ElementType.Int32, ElementType.Float, ElementType.Double];

    public static void Register(KernelRegistry registry) => registry.Add(OpsetDomains.Ml, "OneHotEncoder", 1, Create);

    private static IKernel Create(KernelBuildContext node)
    {
        var type = node.RequireType(0, Types);
        var ints = node.GetInts("cats_int64s");
        var strings = node.GetStrings("cats_strings");
        if ((ints is { Length: > 0 }) == (strings is { Length: > 0 }))
        {
            throw node.Fail("exactly one of cats_int64s and cats_strings must be set (and not empty)");
        }

        var zeros = node.GetInt("zeros", 1) != 0;
        var count = ints?.Length ?? strings!.Length;
        node.SetOutput(0, ElementType.Float, node.InputShape(0) is { } shape ? [.. shape, count] : null);
        if (type == ElementType.String)
        {
            var positions = Positions(strings ?? [], StringComparer.Ordinal);
            return new OneHotEncoderKernel<string>(count, zeros, (string v, out int at) => positions.TryGetValue(v, out at));
        }

        var numbers = Positions(ints ?? [], EqualityComparer<long>.Default);
        return type switch
        {
            ElementType.Int64 => new OneHotEncoderKernel<long>(count, zeros, (long v, out int at) => numbers.TryGetValue(v, out at)),
            ElementType.Int32 => new OneHotEncoderKernel<int>(count, zeros, (int v, out int at) => numbers.TryGetValue(v, out at)),
            ElementType.Float => new OneHotEncoderKernel<float>(count, zeros, (float v, out int at) => numbers.TryGetValue(Truncate(v), out at)),
            _ => new OneHotEncoderKernel<double>(count, zeros, (double v, out int at) => numbers.TryGetValue(Truncate(v), out at)),
        };
    }

    private static long Truncate(double v) => double.IsNaN(v) ? long.MinValue : (long)Math.Clamp(Math.Truncate(v), long.MinValue, long.MaxValue);

    private static Dictionary<T, int> Positions<T>(T[] categories, IEqualityComparer<T> comparer)
        where T : notnull
    {
        var positions = new Dictionary<T, int>(comparer);
        for (var i = 0; i < categories.Length; i++)
        {
            positions[categories[i]] = i;
        }

        return positions;
    }
}

/// <summary>Looks a value up among the categories.</summary>
internal delegate bool CategoryLookup<T>(T value, out int position);

/// <summary>Writes one row of <c>count</c> floats per input element.</summary>
internal sealed class OneHotEncoderKernel<T>(int count, bool zeros, CategoryLookup<T> lookup) : IKernel
{
    public void Run(KernelContext context)
    {
        var x = context.Input<T>(0);
        var src = x.Span;
        int[] shape = [.. x.Shape, count];
        var y = context.Output<float>(0, shape).Span;
        y.Clear();
        for (var i = 0; i < src.Length; i++)
        {
            if (lookup(src[i], out var at))
            {
                y[(i * count) + at] = 1f;
            }
            else if (!zeros)
            {
                throw context.Fail($"value '{src[i]}' (element {i}) is not one of the categories and zeros = 0");
            }
        }
    }
}
