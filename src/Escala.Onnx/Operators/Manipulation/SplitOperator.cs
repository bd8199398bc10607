using Escala.Onnx.Execution;
using Escala.Onnx.Operators.Dispatch;

namespace Escala.Onnx.Operators.Manipulation;

/// <summary>Split: cuts a tensor along an axis into given sizes (attribute before opset 13, input after) or equal parts.</summary>
internal static class SplitOperator
{
    public static void Register(KernelRegistry registry) => registry.Add(OpsetDomains.Default, "Split", 2, Create);

    private static IKernel Create(KernelBuildContext node)
    {
        var type = node.InputElementType(0);
        for (var i = 0; i < node.OutputCount; i++)
        {
            node.SetOutput(i, type);
        }

        var axis = node.GetInt("axis", 0);
        var sizes = node.Opset < 13 ? node.GetInts("split") : null;
        var parts = node.Opset >= 18 ? node.GetInt("num_outputs", node.OutputCount) : node.OutputCount;
        return TypeDispatch.Any<Factory, IKernel>(type, new Factory(axis, sizes, (int)parts));
    }

    private readonly struct Factory(long axis, long[]? sizes, int parts) : IAnyFactory<IKernel>
    {
        public IKernel Create<T>() => new Kernel<T>(axis, sizes, parts);
    }

    private sealed class Kernel<T>(long axisAttribute, long[]? sizesAttribute, int parts) : IKernel
    {
        public void Run(KernelContext context)
        {
            var x = context.Input<T>(0);
            var rank = x.Rank;
            var axis = Tensors.TensorShape.NormalizeAxis(axisAttribute, rank);
            var dim = x.Shape[axis];
            var sizes = sizesAttribute ?? (context.HasInput(1) ? IndexValues.Read(context.InputTensor(1)) : null);
            if (sizes is null)
            {
                // Equal parts; when the dim does not divide, the last part is smaller.
                var each = (dim + parts - 1) / parts;
                sizes = new long[parts];
                for (var i = 0; i < parts; i++)
                {
                    sizes[i] = Math.Max(0, Math.Min(each, dim - (i * each)));
                }
            }

            if (sizes.Length != context.OutputCount || sizes.Any(s => s < 0) || sizes.Sum() != dim)
            {
                throw context.Fail($"split sizes [{string.Join(',', sizes)}] do not cut dim {axis} of size {dim} into {context.OutputCount} outputs");
            }

            var outer = Tensors.TensorShape.Product(x.Shape, 0, axis);
            var inner = Tensors.TensorShape.Product(x.Shape, axis + 1, rank);
            var src = x.Span;
            var offset = 0;
            for (var i = 0; i < sizes.Length; i++)
            {
                var shape = x.ShapeArray();
                shape[axis] = (int)sizes[i];
                var y = context.Output<T>(i, shape);
                var chunk = (int)sizes[i] * inner;
                var dst = y.Span;
                for (var o = 0; o < outer; o++)
                {
                    src.Slice((o * dim * inner) + offset, chunk).CopyTo(dst.Slice(o * chunk, chunk));
                }

                offset += chunk;
            }
        }
    }
}
