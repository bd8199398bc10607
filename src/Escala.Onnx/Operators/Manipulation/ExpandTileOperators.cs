using Escala.Onnx.Execution;
using Escala.Onnx.Operators.Broadcasting;
using Escala.Onnx.Operators.Dispatch;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Operators.Manipulation;

/// <summary>Expand (broadcast to a shape) and Tile (repeat along each dim).</summary>
internal static class ExpandTileOperators
{
    public static void Register(KernelRegistry registry)
    {
        registry.Add(OpsetDomains.Default, "Expand", 8, node => Create(node, tile: false));
        registry.Add(OpsetDomains.Default, "Tile", 6, node => Create(node, tile: true));
    }

    private static IKernel Create(KernelBuildContext node, bool tile)
    {
        var type = node.InputElementType(0);
        node.RequireType(1, [ElementType.Int64]);
        node.SetOutput(0, type);
        if (node.ConstantInput(1) is OnnxTensor<long> constant)
        {
            // The smallest output a constant shape (Expand) or repeat count (Tile) implies, input dims
            // unknown at compile time counted as 1: refused at load when even that exceeds one run's budget.
            var values = constant.Span.ToArray();
            var input = node.InputShape(0);
            var smallest = tile
                ? values.Select((r, d) => (input is not null && d < input.Count && input[d].Value is { } n ? n : 1) * Math.Max(0, r))
                : values.Select(d => d);
            node.RequireWithinBudget($"the {(tile ? "tiled" : "expanded")} output ({(tile ? "repeats" : "shape")} [{string.Join(", ", values)}])", smallest, Math.Max(1, ElementTypes.Size(type)));
        }

        return TypeDispatch.Any<Factory, IKernel>(type, new Factory(tile));
    }

    private readonly struct Factory(bool tile) : IAnyFactory<IKernel>
    {
        public IKernel Create<T>() => tile ? new TileKernel<T>() : new ExpandKernel<T>();
    }

    private sealed class ExpandKernel<T> : IKernel
    {
        public void Run(KernelContext context)
        {
            var x = context.Input<T>(0);
            var requested = IndexValues.ToDims(IndexValues.Read(context.InputTensor(1)), "shape");
            var shape = BroadcastPlan.Shape(x.Shape, requested);
            var y = context.Output<T>(0, shape);
            BroadcastCopy.Copy<T>(x.Span, x.ShapeRef, y.Span, shape);
        }
    }

    private sealed class TileKernel<T> : IKernel
    {
        public void Run(KernelContext context)
        {
            var x = context.Input<T>(0);
            var repeats = IndexValues.ToDims(IndexValues.Read(context.InputTensor(1)), "repeats");
            var rank = x.Rank;
            if (repeats.Length != rank)
            {
                throw context.Fail($"repeats has {repeats.Length} entries for a tensor of rank {rank}");
            }

            var shape = new int[rank];
            for (var d = 0; d < rank; d++)
            {
                var size = (long)x.Shape[d] * repeats[d];
                shape[d] = size <= Tensors.TensorShape.MaxElements ? (int)size : throw context.Fail($"tiling dim {d} of size {x.Shape[d]} {repeats[d]} times is too large");
            }

            var y = context.Output<T>(0, shape);
            var dst = y.Span;
            if (dst.IsEmpty)
            {
                return;
            }

            if (rank == 0)
            {
                dst[0] = x.Span[0];
                return;
            }

            // Output element at index i reads input at i mod input dim, dim by dim.
            var src = x.Span;
            var inStrides = TensorShape.Strides(x.Shape);
            var index = new int[rank];
            var inner = x.Shape[rank - 1];
            var o = 0;
            while (o < dst.Length)
            {
                var offset = 0;
                for (var d = 0; d < rank - 1; d++)
                {
                    offset += index[d] % x.Shape[d] * inStrides[d];
                }

                var row = src.Slice(offset, inner);
                for (var r = 0; r < repeats[rank - 1]; r++)
                {
                    row.CopyTo(dst.Slice(o, inner));
                    o += inner;
                }

                for (var d = rank - 2; d >= 0; d--)
                {
                    if (++index[d] < shape[d])
                    {
                        break;
                    }

                    index[d] = 0;
                }
            }
        }
    }
}
