using System.Numerics;
using Escala.Onnx.Execution;
using Escala.Onnx.Operators.Broadcasting;
using Escala.Onnx.Operators.Dispatch;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Operators.Normalization;

/// <summary>
/// LayerNormalization (opset 17): normalises over the dims from <c>axis</c> on, then scales and shifts
/// (Scale and B broadcast to those dims). Optional outputs Mean and InvStdDev keep the reduced dims as 1.
/// </summary>
internal static class LayerNormalizationOperator
{
    public static void Register(KernelRegistry registry) => registry.Add(OpsetDomains.Default, "LayerNormalization", 17, Create);

    private static IKernel Create(KernelBuildContext node)
    {
        var type = node.RequireType(0, TypeDispatch.FloatTypes);
        node.RequireSameType(0, 1);
        if (node.HasInput(2))
        {
            node.RequireSameType(0, 2);
        }

        var stash = (ElementType)node.GetInt("stash_type", 1);
        node.SetOutput(0, type, node.InputShape(0));
        node.SetOutput(1, stash);
        node.SetOutput(2, stash);
        if (stash is not (ElementType.Float or ElementType.Double))
        {
            throw node.Fail($"stash_type {ElementTypes.Name(stash)} is not supported");
        }

        var options = new Options(node.GetInt("axis", -1), node.GetFloat("epsilon", 1e-5f));
        return TypeDispatch.Float<Factory, IKernel>(type, stash == ElementType.Float
            ? new Factory(options, typeof(float))
            : new Factory(options, typeof(double)));
    }

    private sealed record Options(long Axis, float Epsilon);

    private readonly struct Factory(Options options, Type stash) : IFloatFactory<IKernel>
    {
        public IKernel Create<T>()
            where T : unmanaged, IFloatingPointIeee754<T> =>
            stash == typeof(float) ? new Kernel<T, float>(options) : new Kernel<T, double>(options);
    }

    private sealed class Kernel<T, TStash>(Options options) : IKernel
        where T : IFloatingPointIeee754<T>
        where TStash : unmanaged, IFloatingPointIeee754<TStash>
    {
        public void Run(KernelContext context)
        {
            var x = context.Input<T>(0);
            var rank = x.Rank;
            var axis = TensorShape.NormalizeAxis(options.Axis, rank);
            var rows = TensorShape.Product(x.Shape, 0, axis);
            var n = TensorShape.Product(x.Shape, axis, rank);
            var normalized = x.Shape[axis..].ToArray();
            var scale = Expand(context, 1, normalized, n);
            var bias = context.HasInput(2) ? Expand(context, 2, normalized, n) : default;
            var y = context.Output<T>(0, x.ShapeRef);
            var statShape = x.ShapeArray();
            for (var d = axis; d < rank; d++)
            {
                statShape[d] = 1;
            }

            var meanOut = context.HasOutput(1) ? context.Output<TStash>(1, statShape).Span : default;
            var invOut = context.HasOutput(2) ? context.Output<TStash>(2, (int[])statShape.Clone()).Span : default;
            var src = x.Span;
            var dst = y.Span;
            for (var r = 0; r < rows; r++)
            {
                var row = src.Slice(r * n, n);
                double sum = 0;
                foreach (var v in row)
                {
                    sum += double.CreateTruncating(v);
                }

                var mean = sum / n;
                double sq = 0;
                foreach (var v in row)
                {
                    var d = double.CreateTruncating(v) - mean;
                    sq += d * d;
                }

                var inv = 1 / Math.Sqrt((sq / n) + options.Epsilon);
                var outRow = dst.Slice(r * n, n);
                for (var j = 0; j < n; j++)
                {
                    var v = (double.CreateTruncating(row[j]) - mean) * inv * scale[j];
                    outRow[j] = T.CreateTruncating(bias.IsEmpty ? v : v + bias[j]);
                }

                if (!meanOut.IsEmpty)
                {
                    meanOut[r] = TStash.CreateTruncating(mean);
                }

                if (!invOut.IsEmpty)
                {
                    invOut[r] = TStash.CreateTruncating(inv);
                }
            }
        }

        private static ReadOnlySpan<double> Expand(KernelContext context, int index, int[] normalized, int n)
        {
            var t = context.Input<T>(index);
            var values = context.Scratch<double>(t.Length);
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = double.CreateTruncating(t.Span[i]);
            }

            if (t.Length == n)
            {
                return values;
            }

            var expanded = context.Scratch<double>(n);
            try
            {
                BroadcastCopy.Copy<double>(values, t.ShapeArray(), expanded, normalized);
            }
            catch (ArgumentException e)
            {
                throw context.Fail($"input {index}: {e.Message}");
            }

            return expanded;
        }
    }
}
