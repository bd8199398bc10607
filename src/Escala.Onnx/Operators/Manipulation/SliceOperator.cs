using Escala.Onnx.Execution;
using Escala.Onnx.Operators.Dispatch;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Operators.Manipulation;

/// <summary>Slice: numpy-style strided slicing (starts/ends/axes attributes before opset 10; inputs, with steps, after).</summary>
internal static class SliceOperator
{
    public static void Register(KernelRegistry registry) => registry.Add(OpsetDomains.Default, "Slice", 1, Create);

    private static IKernel Create(KernelBuildContext node)
    {
        var type = node.InputElementType(0);
        node.SetOutput(0, type, node.InputShape(0) is { } s ? [.. s.Select(_ => OnnxDim.Unknown)] : null);
        Attributes? attributes = null;
        if (node.Opset < 10)
        {
            attributes = new Attributes(
                node.GetInts("starts") ?? throw node.Fail("required attribute 'starts' is missing"),
                node.GetInts("ends") ?? throw node.Fail("required attribute 'ends' is missing"),
                node.GetInts("axes"));
        }

        return TypeDispatch.Any<Factory, IKernel>(type, new Factory(attributes));
    }

    private sealed record Attributes(long[] Starts, long[] Ends, long[]? Axes);

    private readonly struct Factory(Attributes? attributes) : IAnyFactory<IKernel>
    {
        public IKernel Create<T>() => new Kernel<T>(attributes);
    }

    private sealed class Kernel<T>(Attributes? attributes) : IKernel
    {
        public void Run(KernelContext context)
        {
            var x = context.Input<T>(0);
            var rank = x.Rank;
            var starts = attributes?.Starts ?? IndexValues.Read(context.InputTensor(1));
            var ends = attributes?.Ends ?? IndexValues.Read(context.InputTensor(2));
            var axes = attributes is not null ? attributes.Axes : context.HasInput(3) ? IndexValues.Read(context.InputTensor(3)) : null;
            var steps = attributes is null && context.HasInput(4) ? IndexValues.Read(context.InputTensor(4)) : null;
            if (starts.Length != ends.Length || (axes is not null && axes.Length != starts.Length) || (steps is not null && steps.Length != starts.Length))
            {
                throw context.Fail("starts, ends, axes and steps must have the same length");
            }

            var start = new long[rank];
            var step = new long[rank];
            var shape = x.ShapeArray();
            for (var d = 0; d < rank; d++)
            {
                step[d] = 1;
            }

            var normalized = axes is null ? [.. Enumerable.Range(0, starts.Length)] : IndexValues.Axes(axes, rank);
            for (var i = 0; i < starts.Length; i++)
            {
                var d = normalized[i];
                long dim = x.Shape[d];
                var s = steps?[i] ?? 1;
                if (s == 0)
                {
                    throw context.Fail("a step is 0");
                }

                var b = starts[i] < 0 ? starts[i] + dim : starts[i];
                var e = ends[i] < 0 ? ends[i] + dim : ends[i];
                if (s > 0)
                {
                    b = Math.Clamp(b, 0, dim);
                    e = Math.Clamp(e, 0, dim);
                }
                else
                {
                    b = Math.Clamp(b, 0, dim - 1);
                    e = Math.Clamp(e, -1, dim - 1);
                }

                // Written so that steps near the limits of long cannot overflow.
                var count = s > 0
                    ? (e > b ? 1 + ((e - b - 1) / s) : 0)
                    : (b > e ? 1 + ((b - e - 1) / -Math.Max(s, -long.MaxValue)) : 0);
                start[d] = b;
                step[d] = s;
                shape[d] = (int)Math.Max(0, count);
            }

            var y = context.Output<T>(0, shape);
            Copy(x.Span, x.Shape, start, step, y.Span, shape);
        }

        private static void Copy(ReadOnlySpan<T> src, ReadOnlySpan<int> inShape, long[] start, long[] step, Span<T> dst, int[] outShape)
        {
            if (dst.IsEmpty)
            {
                return;
            }

            var rank = outShape.Length;
            if (rank == 0)
            {
                dst[0] = src[0];
                return;
            }

            var strides = TensorShape.Strides(inShape);
            long baseOffset = 0;
            for (var d = 0; d < rank; d++)
            {
                baseOffset += start[d] * strides[d];
            }

            var index = new int[rank];
            var inner = outShape[rank - 1];
            var innerStep = step[rank - 1] * strides[rank - 1];
            var o = 0;
            while (o < dst.Length)
            {
                var offset = baseOffset;
                for (var d = 0; d < rank - 1; d++)
                {
                    offset += index[d] * step[d] * strides[d];
                }

                if (innerStep == 1)
                {
                    src.Slice((int)offset, inner).CopyTo(dst.Slice(o, inner));
                    o += inner;
                }
                else
                {
                    for (var j = 0; j < inner; j++)
                    {
                        dst[o++] = src[(int)(offset + (j * innerStep))];
                    }
                }

                for (var d = rank - 2; d >= 0; d--)
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
