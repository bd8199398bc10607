using Escala.Onnx.Execution;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Ml.Encoding;

/// <summary>
/// ZipMap: pairs each row of a float [N, C] tensor with the C labels (<c>classlabels_int64s</c> or
/// <c>classlabels_strings</c>) into a sequence of N maps. The maps share one key array and are stored flat
/// (<see cref="OnnxMapSequence{TKey}"/>), so no dictionary is built unless a caller asks for one.
/// </summary>
internal static class ZipMapOperator
{
    public static void Register(KernelRegistry registry) => registry.Add(OpsetDomains.Ml, "ZipMap", 1, Create);

    private static IKernel Create(KernelBuildContext node)
    {
        node.RequireType(0, [ElementType.Float]);
        var labels = ClassLabels.Read(node, "classlabels_int64s", "classlabels_strings");
        if (FeatureInput.FeaturesDim(node) is { } columns && columns != labels.Count)
        {
            throw node.Fail($"the input has {columns} columns but there are {labels.Count} labels");
        }

        node.SetOutput(0, OnnxTypeInfo.SequenceOfMaps(labels.ElementType));
        return labels.Ints is { } ints ? new ZipMapKernel<long>(ints) : new ZipMapKernel<string>(labels.Strings!);
    }
}

/// <summary>Copies the scores into a new map sequence (handed to the caller, so not pooled).</summary>
internal sealed class ZipMapKernel<TKey>(TKey[] keys) : IKernel
    where TKey : notnull
{
    public void Run(KernelContext context)
    {
        var x = context.Input<float>(0);
        var (_, columns) = FeatureInput.Shape(context, x);
        if (columns != keys.Length)
        {
            throw context.Fail($"the input has {columns} columns but there are {keys.Length} labels");
        }

        var values = context.Allocate<float>(x.Length);
        x.Span.CopyTo(values);
        context.SetOutput(0, new OnnxMapSequence<TKey>(keys, values));
    }
}
