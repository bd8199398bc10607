using Escala.Onnx.Execution;
using Escala.Onnx.Operators.Dispatch;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Operators.Manipulation;

/// <summary>Gather (slices picked by an index tensor) and GatherElements (element-wise picks along an axis).</summary>
internal static class GatherOperators
{
    public static void Register(KernelRegistry registry)
    {
        registry.Add(OpsetDomains.Default, "Gather", 1, node => Create(node, elements: false));
        registry.Add(OpsetDomains.Default, "GatherElements", 11, node => Create(node, elements: true));
    }

    private static IKernel Create(KernelBuildContext node, bool elements)
    {
        var type = node.InputElementType(0);
        node.RequireType(1, IndexValues.Types);
        node.SetOutput(0, type);
        var axis = node.GetInt("axis", 0);
        return TypeDispatch.Any<Factory, IKernel>(type, new Factory(axis, elements));
    }

    private readonly struct Factory(long axis, bool elements) : IAnyFactory<IKernel>
    {
        public IKernel Create<T>() => elements ? new ElementsKernel<T>(axis) : new GatherKernel<T>(axis);
    }

    private static int Index(long raw, int dim, KernelContext context)
    {
        var i = raw < 0 ? raw + dim : raw;
        if (i < 0 || i >= dim)
        {
            throw context.Fail($"index {raw} is out of range for a dimension of size {dim}");
        }

        return (int)i;
    }

    private sealed class GatherKernel<T>(long axisAttribute) : IKernel
    {
        public void Run(KernelContext context)
        {
            var data = context.Input<T>(0);
            var indicesTensor = context.InputTensor(1);
            var indices = IndexValues.Read(indicesTensor);
            var rank = data.Rank;
            var axis = TensorShape.NormalizeAxis(axisAttribute, rank);
            var shape = new List<int>(rank - 1 + indicesTensor.Rank);
            shape.AddRange(data.Shape[..axis]);
            shape.AddRange(indicesTensor.Shape);
            shape.AddRange(data.Shape[(axis + 1)..]);
            var y = context.Output<T>(0, [.. shape]);
            var outer = TensorShape.Product(data.Shape, 0, axis);
            var dim = data.Shape[axis];
            var inner = TensorShape.Product(data.Shape, axis + 1, rank);
            var src = data.Span;
            var dst = y.Span;
            var o = 0;
            for (var a = 0; a < outer; a++)
            {
                foreach (var raw in indices)
                {
                    var i = Index(raw, dim, context);
                    src.Slice(((a * dim) + i) * inner, inner).CopyTo(dst.Slice(o, inner));
                    o += inner;
                }
            }
        }
    }

    private sealed class ElementsKernel<T>(long axisAttribute) : IKernel
    {
        public void Run(KernelContext context)
        {
            var data = context.Input<T>(0);
            var indicesTensor = context.InputTensor(1);
            var indices = IndexValues.Read(indicesTensor);
            var rank = data.Rank;
            if (indicesTensor.Rank != rank)
            {
                throw context.Fail($"indices have rank {indicesTensor.Rank}, data rank {rank}");
            }

            var axis = TensorShape.NormalizeAxis(axisAttribute, rank);
            var y = context.Output<T>(0, indicesTensor.ShapeArray());
            var dataStrides = TensorShape.Strides(data.Shape);
            var outShape = indicesTensor.Shape;
            var index = new int[rank];
            var src = data.Span;
            var dst = y.Span;
            for (var o = 0; o < dst.Length; o++)
            {
                var offset = 0;
                for (var d = 0; d < rank; d++)
                {
                    var at = d == axis ? Index(indices[o], data.Shape[d], context) : index[d];
                    if (d != axis && at >= data.Shape[d])
                    {
                        throw context.Fail($"indices shape [{TensorShape.Format(outShape)}] exceeds data shape [{TensorShape.Format(data.Shape)}]");
                    }

                    offset += at * dataStrides[d];
                }

                dst[o] = src[offset];
                for (var d = rank - 1; d >= 0; d--)
                {
                    if (++index[d] < outShape[d])
                    {
                        break;
                    }

                    index[d] = 0;
                }
            }
        }
    }
}
