using System.Numerics;
using Escala.Onnx.Execution;
using Escala.Onnx.Operators.Dispatch;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Operators.Reduction;

/// <summary>
/// ReduceSum/Mean/Max/Min/Prod/SumSquare/L1/L2/LogSumExp. Axes come from an attribute until the op's
/// axes-as-input version (ReduceSum 13, the others 18), then from optional input 1; with no axes every
/// axis is reduced unless noop_with_empty_axes is set.
/// </summary>
internal static class ReduceOperators
{
    public static void Register(KernelRegistry registry)
    {
        Add<SumReducer>(registry, "ReduceSum", 13, bools: false);
        Add<MeanReducer>(registry, "ReduceMean", 18, bools: false);
        Add<MaxReducer>(registry, "ReduceMax", 18, bools: true);
        Add<MinReducer>(registry, "ReduceMin", 18, bools: true);
        Add<ProdReducer>(registry, "ReduceProd", 18, bools: false);
        Add<SumSquareReducer>(registry, "ReduceSumSquare", 18, bools: false);
        Add<L1Reducer>(registry, "ReduceL1", 18, bools: false);
        Add<L2Reducer>(registry, "ReduceL2", 18, bools: false);
        Add<LogSumExpReducer>(registry, "ReduceLogSumExp", 18, bools: false);
    }

    private static void Add<TReducer>(KernelRegistry registry, string op, int axesInputSince, bool bools)
        where TReducer : IReducer =>
        registry.Add(OpsetDomains.Default, op, 1, node => Create<TReducer>(node, axesInputSince, bools));

    private static IKernel Create<TReducer>(KernelBuildContext node, int axesInputSince, bool bools)
        where TReducer : IReducer
    {
        var type = node.RequireType(0, bools ? TypeDispatch.NumericTypes.Append(ElementType.Bool).ToArray() : TypeDispatch.NumericTypes);
        var options = new ReduceOptions(
            node.Opset < axesInputSince ? node.GetInts("axes") : null,
            node.Opset >= axesInputSince,
            node.GetInt("keepdims", 1) != 0,
            node.GetInt("noop_with_empty_axes", 0) != 0);
        node.SetOutput(0, type);
        if (type == ElementType.Bool)
        {
            return new BoolReduceKernel(options, any: typeof(TReducer) == typeof(MaxReducer));
        }

        return TypeDispatch.Numeric<Factory<TReducer>, IKernel>(type, new Factory<TReducer>(options));
    }

    private readonly struct Factory<TReducer>(ReduceOptions options) : INumericFactory<IKernel>
        where TReducer : IReducer
    {
        public IKernel Create<T>()
            where T : unmanaged, INumber<T> => new ReduceKernel<T, TReducer>(options);
    }
}

/// <summary>How a reduction node picks its axes.</summary>
internal sealed record ReduceOptions(long[]? AxesAttribute, bool AxesFromInput, bool KeepDims, bool NoopWithEmptyAxes)
{
    /// <summary>Per dim whether it is reduced; null means the op is the identity (no axes and noop set).</summary>
    public bool[]? Reduced(KernelContext context, int rank)
    {
        var axes = AxesFromInput
            ? (context.HasInput(1) ? IndexValues.Read(context.InputTensor(1)) : null)
            : AxesAttribute;
        var reduced = new bool[rank];
        if (axes is null || axes.Length == 0)
        {
            if (NoopWithEmptyAxes)
            {
                return null;
            }

            Array.Fill(reduced, true);
            return reduced;
        }

        foreach (var a in IndexValues.Axes(axes, rank))
        {
            reduced[a] = true;
        }

        return reduced;
    }
}

internal sealed class ReduceKernel<T, TReducer>(ReduceOptions options) : IKernel
    where T : INumber<T>
    where TReducer : IReducer
{
    public void Run(KernelContext context)
    {
        var x = context.Input<T>(0);
        var reduced = options.Reduced(context, x.Rank);
        if (reduced is null)
        {
            context.SetOutput(0, x);
            return;
        }

        var y = context.Output<T>(0, ReductionLayout<T>.OutputShape(x.Shape, reduced, options.KeepDims));
        var layout = new ReductionLayout<T>(context, x.Span, x.Shape, reduced);
        var dst = y.Span;
        for (var r = 0; r < dst.Length; r++)
        {
            dst[r] = TReducer.Reduce(layout.Row(r));
        }
    }
}

/// <summary>ReduceMax (any) and ReduceMin (all) on booleans (opset 20).</summary>
internal sealed class BoolReduceKernel(ReduceOptions options, bool any) : IKernel
{
    public void Run(KernelContext context)
    {
        var x = context.Input<bool>(0);
        var reduced = options.Reduced(context, x.Rank);
        if (reduced is null)
        {
            context.SetOutput(0, x);
            return;
        }

        var y = context.Output<bool>(0, ReductionLayout<bool>.OutputShape(x.Shape, reduced, options.KeepDims));
        var layout = new ReductionLayout<bool>(context, x.Span, x.Shape, reduced);
        var dst = y.Span;
        for (var r = 0; r < dst.Length; r++)
        {
            var row = layout.Row(r);
            dst[r] = any ? row.Contains(true) : !row.Contains(false);
        }
    }
}
