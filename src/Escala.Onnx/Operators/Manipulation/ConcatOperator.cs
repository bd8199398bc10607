using Escala.Onnx.Execution;
using Escala.Onnx.Operators.Dispatch;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Operators.Manipulation;

/// <summary>Concat: joins tensors along an axis.</summary>
internal static class ConcatOperator
{
    public static void Register(KernelRegistry registry) => registry.Add(OpsetDomains.Default, "Concat", 4, Create);

    private static IKernel Create(KernelBuildContext node)
    {
        var type = node.InputElementType(0);
        for (var i = 1; i < node.InputCount; i++)
        {
            node.RequireSameType(0, i);
        }

        var axis = node.GetInt("axis");
        node.SetOutput(0, type, node.InputShape(0) is { } s ? [.. s.Select(_ => OnnxDim.Unknown)] : null);
        return TypeDispatch.Any<Factory, IKernel>(type, new Factory(axis));
    }

    private readonly struct Factory(long axis) : IAnyFactory<IKernel>
    {
        public IKernel Create<T>() => new Kernel<T>(axis);
    }

    private sealed class Kernel<T>(long axisAttribute) : IKernel
    {
        public void Run(KernelContext context)
        {
            var first = context.Input<T>(0);
            var rank = first.Rank;
            var axis = TensorShape.NormalizeAxis(axisAttribute, rank);
            var shape = first.ShapeArray();
            var total = 0;
            for (var i = 0; i < context.InputCount; i++)
            {
                var x = context.Input<T>(i);
                if (x.Rank != rank)
                {
                    throw context.Fail($"input {i} has rank {x.Rank}, input 0 has rank {rank}");
                }

                for (var d = 0; d < rank; d++)
                {
                    if (d != axis && x.Shape[d] != shape[d])
                    {
                        throw context.Fail($"input {i} has shape [{TensorShape.Format(x.Shape)}], which does not match [{TensorShape.Format(first.Shape)}] outside axis {axis}");
                    }
                }

                total += x.Shape[axis];
            }

            shape[axis] = total;
            var y = context.Output<T>(0, shape);
            var outer = TensorShape.Product(shape, 0, axis);
            var inner = TensorShape.Product(shape, axis + 1, rank);
            var dst = y.Span;
            var rowLength = total * inner;
            var offset = 0;
            for (var i = 0; i < context.InputCount; i++)
            {
                var x = context.Input<T>(i);
                var chunk = x.Shape[axis] * inner;
                var src = x.Span;
                for (var o = 0; o < outer; o++)
                {
                    src.Slice(o * chunk, chunk).CopyTo(dst.Slice((o * rowLength) + offset, chunk));
                }

                offset += chunk;
            }
        }
    }
}
