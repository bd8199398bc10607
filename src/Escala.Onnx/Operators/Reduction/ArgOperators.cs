using System.Numerics;
using Escala.Onnx.Execution;
using Escala.Onnx.Operators.Dispatch;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Operators.Reduction;

/// <summary>ArgMax and ArgMin along one axis (int64 indices; first occurrence unless select_last_index).</summary>
internal static class ArgOperators
{
    public static void Register(KernelRegistry registry)
    {
        registry.Add(OpsetDomains.Default, "ArgMax", 1, node => Create(node, max: true));
        registry.Add(OpsetDomains.Default, "ArgMin", 1, node => Create(node, max: false));
    }

    private static IKernel Create(KernelBuildContext node, bool max)
    {
        var type = node.RequireType(0, TypeDispatch.NumericTypes);
        node.SetOutput(0, ElementType.Int64);
        var options = new Options(node.GetInt("axis", 0), node.GetInt("keepdims", 1) != 0, node.GetInt("select_last_index", 0) != 0, max);
        return TypeDispatch.Numeric<Factory, IKernel>(type, new Factory(options));
    }

    private sealed record Options(long Axis, bool KeepDims, bool Last, bool Max);

    private readonly struct Factory(Options options) : INumericFactory<IKernel>
    {
        public IKernel Create<T>()
            where T : unmanaged, INumber<T> => new Kernel<T>(options);
    }

    private sealed class Kernel<T>(Options options) : IKernel
        where T : INumber<T>
    {
        public void Run(KernelContext context)
        {
            var x = context.Input<T>(0);
            var axis = TensorShape.NormalizeAxis(options.Axis, x.Rank);
            var reduced = new bool[x.Rank];
            reduced[axis] = true;
            if (x.Shape[axis] == 0)
            {
                throw context.Fail($"cannot take the arg{(options.Max ? "max" : "min")} of an empty axis {axis}");
            }

            var y = context.Output<long>(0, ReductionLayout<T>.OutputShape(x.Shape, reduced, options.KeepDims));
            var layout = new ReductionLayout<T>(context, x.Span, x.Shape, reduced);
            var dst = y.Span;
            for (var r = 0; r < dst.Length; r++)
            {
                dst[r] = Best(layout.Row(r));
            }
        }

        private long Best(ReadOnlySpan<T> row)
        {
            var best = 0;
            for (var j = 1; j < row.Length; j++)
            {
                var v = row[j];
                var b = row[best];
                var better = options.Max ? v > b : v < b;
                if (better || (options.Last && v == b))
                {
                    best = j;
                }
            }

            return best;
        }
    }
}
