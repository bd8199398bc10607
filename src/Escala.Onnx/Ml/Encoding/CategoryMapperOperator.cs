using Escala.Onnx.Execution;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Ml.Encoding;

/// <summary>
/// CategoryMapper: strings to int64 or int64 to strings through the parallel lists <c>cats_strings</c> and
/// <c>cats_int64s</c>; values not in the list become <c>default_int64</c> (-1) or <c>default_string</c> ("_Unused").
/// The first occurrence of a repeated entry wins.
/// </summary>
internal static class CategoryMapperOperator
{
    public static void Register(KernelRegistry registry) => registry.Add(OpsetDomains.Ml, "CategoryMapper", 1, Create);

    private static IKernel Create(KernelBuildContext node)
    {
        var type = node.RequireType(0, [ElementType.String, ElementType.Int64]);
        var strings = node.GetStrings("cats_strings") ?? [];
        var ints = node.GetInts("cats_int64s") ?? [];
        if (strings.Length != ints.Length)
        {
            throw node.Fail($"cats_strings has {strings.Length} entries and cats_int64s {ints.Length}; they must pair up");
        }

        if (type == ElementType.String)
        {
            node.SetOutput(0, ElementType.Int64, node.InputShape(0));
            var map = new Dictionary<string, long>(StringComparer.Ordinal);
            for (var i = 0; i < strings.Length; i++)
            {
                map.TryAdd(strings[i], ints[i]);
            }

            return new MappingKernel<string, long>(map, node.GetInt("default_int64", -1));
        }

        node.SetOutput(0, ElementType.String, node.InputShape(0));
        var back = new Dictionary<long, string>();
        for (var i = 0; i < ints.Length; i++)
        {
            back.TryAdd(ints[i], strings[i]);
        }

        return new MappingKernel<long, string>(back, node.GetString("default_string", "_Unused"));
    }
}

/// <summary>Maps every element through a dictionary, with a default for the others; output keeps the input's shape.</summary>
internal sealed class MappingKernel<TKey, TValue>(IReadOnlyDictionary<TKey, TValue> map, TValue fallback) : IKernel
    where TKey : notnull
{
    public void Run(KernelContext context)
    {
        var x = context.Input<TKey>(0);
        var src = x.Span;
        var y = context.Output<TValue>(0, x.ShapeArray()).Span;
        for (var i = 0; i < src.Length; i++)
        {
            y[i] = map.TryGetValue(src[i], out var value) ? value : fallback;
        }
    }
}
