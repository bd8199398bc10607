using System.Numerics;
using System.Numerics.Tensors;
using Escala.Onnx.Execution;
using Escala.Onnx.Operators.Dispatch;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Operators.Normalization;

/// <summary>
/// Softmax and LogSoftmax. Before opset 13 the input is seen as 2-D [prod(dims before axis), prod(rest)]
/// (default axis 1); from 13 they work along one axis (default -1). Computed in double with the row maximum
/// subtracted, so large inputs do not overflow.
/// </summary>
internal static class SoftmaxOperators
{
    public static void Register(KernelRegistry registry)
    {
        registry.Add(OpsetDomains.Default, "Softmax", 1, node => Create(node, log: false));
        registry.Add(OpsetDomains.Default, "LogSoftmax", 1, node => Create(node, log: true));
    }

    private static IKernel Create(KernelBuildContext node, bool log)
    {
        var type = node.RequireType(0, TypeDispatch.FloatTypes);
        node.SetOutput(0, type, node.InputShape(0));
        var coerce = node.Opset < 13;
        var axis = node.GetInt("axis", coerce ? 1 : -1);
        return TypeDispatch.Float<Factory, IKernel>(type, new Factory(axis, coerce, log));
    }

    private readonly struct Factory(long axis, bool coerce, bool log) : IFloatFactory<IKernel>
    {
        public IKernel Create<T>()
            where T : unmanaged, IFloatingPointIeee754<T> => new Kernel<T>(axis, coerce, log);
    }

    private sealed class Kernel<T>(long axisAttribute, bool coerce, bool log) : IKernel
        where T : IFloatingPointIeee754<T>
    {
        private void Row(ReadOnlySpan<T> x, Span<T> y)
        {
            var max = TensorPrimitives.Max(x);
            if (T.IsInfinity(max) || T.IsNaN(max))
            {
                // Infinite or NaN inputs: the double-precision path gives the IEEE answers.
                Exact(x, y);
                return;
            }

            TensorPrimitives.Subtract(x, max, y);
            if (log)
            {
                var sum = T.Zero;
                foreach (var v in y)
                {
                    sum += T.Exp(v);
                }

                TensorPrimitives.Subtract(y, T.Log(sum), y);
                return;
            }

            TensorPrimitives.Exp(y, y);
            TensorPrimitives.Divide(y, TensorPrimitives.Sum<T>(y), y);
        }

        private void Exact(ReadOnlySpan<T> x, Span<T> y)
        {
            var max = double.NegativeInfinity;
            foreach (var v in x)
            {
                max = Math.Max(max, double.CreateTruncating(v));
            }

            var sum = 0.0;
            foreach (var v in x)
            {
                sum += Math.Exp(double.CreateTruncating(v) - max);
            }

            var logSum = Math.Log(sum);
            for (var j = 0; j < x.Length; j++)
            {
                var shifted = double.CreateTruncating(x[j]) - max;
                y[j] = T.CreateTruncating(log ? shifted - logSum : Math.Exp(shifted) / sum);
            }
        }

        public void Run(KernelContext context)
        {
            var x = context.Input<T>(0);
            var y = context.Output<T>(0, x.ShapeRef);
            if (x.Length == 0)
            {
                return;
            }

            var rank = x.Rank;
            var axis = rank == 0 ? 0 : TensorShape.NormalizeAxis(axisAttribute, rank);
            int outer, n, inner;
            if (coerce)
            {
                outer = TensorShape.Product(x.Shape, 0, axis);
                n = TensorShape.Product(x.Shape, axis, rank);
                inner = 1;
            }
            else
            {
                outer = TensorShape.Product(x.Shape, 0, axis);
                n = rank == 0 ? 1 : x.Shape[axis];
                inner = TensorShape.Product(x.Shape, axis + 1, rank);
            }

            var src = x.Span;
            var dst = y.Span;
            if (inner == 1)
            {
                // Contiguous rows (the usual last-axis case): vectorised, still shifted by the row maximum.
                for (var o = 0; o < outer; o++)
                {
                    Row(src.Slice(o * n, n), dst.Slice(o * n, n));
                }

                return;
            }

            for (var o = 0; o < outer; o++)
            {
                for (var i = 0; i < inner; i++)
                {
                    var start = (o * n * inner) + i;
                    var max = double.NegativeInfinity;
                    for (var j = 0; j < n; j++)
                    {
                        max = Math.Max(max, double.CreateTruncating(src[start + (j * inner)]));
                    }

                    var sum = 0.0;
                    for (var j = 0; j < n; j++)
                    {
                        sum += Math.Exp(double.CreateTruncating(src[start + (j * inner)]) - max);
                    }

                    var logSum = Math.Log(sum);
                    for (var j = 0; j < n; j++)
                    {
                        var shifted = double.CreateTruncating(src[start + (j * inner)]) - max;
                        dst[start + (j * inner)] = T.CreateTruncating(log ? shifted - logSum : Math.Exp(shifted) / sum);
                    }
                }
            }
        }
    }
}
