using Escala.Onnx.Execution;
using Escala.Onnx.Operators.Dispatch;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Ml.Preprocessing;

/// <summary>
/// ArrayFeatureExtractor: picks, along the last axis of X, the elements at the (flattened) indices Y. The output is
/// X's shape with the last axis replaced by the number of indices; a 1-D X gives [1, k], as in ONNX Runtime.
/// An index outside [0, last dim) is an error naming it.
/// </summary>
internal static class ArrayFeatureExtractorOperator
{
    private static readonly ElementType[] Types = [ElementType.Float, ElementType.Double, ElementType.Int64, ElementType.Int32, ElementType.String];

    public static void Register(KernelRegistry registry) => registry.Add(OpsetDomains.Ml, "ArrayFeatureExtractor", 1, Create);

    private static IKernel Create(KernelBuildContext node)
    {
        var type = node.RequireType(0, Types);
        node.RequireType(1, [ElementType.Int64]);
        var xShape = node.InputShape(0);
        OnnxDim count = node.ConstantInput(1) is { } indices ? indices.Length : OnnxDim.Unknown;
        IReadOnlyList<OnnxDim>? shape = xShape switch
        {
            null => null,
            { Count: <= 1 } => [1, count],
            _ => [.. xShape.Take(xShape.Count - 1), count],
        };
        node.SetOutput(0, type, shape);
        return TypeDispatch.Any<Factory, IKernel>(type, default);
    }

    private readonly struct Factory : IAnyFactory<IKernel>
    {
        public IKernel Create<T>() => new ArrayFeatureExtractorKernel<T>();
    }
}

/// <summary>Gathers the selected columns of every row.</summary>
internal sealed class ArrayFeatureExtractorKernel<T> : IKernel
{
    public void Run(KernelContext context)
    {
        var x = context.Input<T>(0);
        var indices = context.Input<long>(1).Span;
        var last = x.Rank == 0 ? 1 : x.Dim(x.Rank - 1);
        for (var i = 0; i < indices.Length; i++)
        {
            if (indices[i] < 0 || indices[i] >= last)
            {
                throw context.Fail($"index {indices[i]} (position {i} of the indices) is outside [0, {last}), the size of the last axis");
            }
        }

        var shape = x.Rank <= 1 ? new[] { 1, indices.Length } : [.. x.Shape[..^1], indices.Length];
        var y = context.Output<T>(0, shape).Span;
        var src = x.Span;
        var rows = last == 0 ? 0 : src.Length / last;
        for (var r = 0; r < rows; r++)
        {
            var row = src.Slice(r * last, last);
            var output = y.Slice(r * indices.Length, indices.Length);
            for (var i = 0; i < indices.Length; i++)
            {
                output[i] = row[(int)indices[i]];
            }
        }
    }
}
