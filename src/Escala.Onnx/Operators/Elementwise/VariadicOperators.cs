using System.Numerics;
using System.Numerics.Tensors;
using Escala.Onnx.Execution;
using Escala.Onnx.Operators.Broadcasting;
using Escala.Onnx.Operators.Dispatch;

namespace Escala.Onnx.Operators.Elementwise;

/// <summary>Sum, Max, Min and Mean over any number of inputs, all broadcast together.</summary>
internal static class VariadicOperators
{
    public static void Register(KernelRegistry registry)
    {
        registry.Add(OpsetDomains.Default, "Sum", 6, node => Create<AddOp>(node, TypeDispatch.NumericTypes, mean: false));
        registry.Add(OpsetDomains.Default, "Max", 6, node => Create<MaxOp>(node, TypeDispatch.NumericTypes, mean: false));
        registry.Add(OpsetDomains.Default, "Min", 6, node => Create<MinOp>(node, TypeDispatch.NumericTypes, mean: false));
        registry.Add(OpsetDomains.Default, "Mean", 6, node => Create<AddOp>(node, TypeDispatch.FloatTypes, mean: true));
    }

    private static IKernel Create<TOp>(KernelBuildContext node, Tensors.ElementType[] allowed, bool mean)
        where TOp : IArithmetic
    {
        if (node.InputCount == 0)
        {
            throw node.Fail("needs at least one input");
        }

        var type = node.RequireType(0, allowed);
        for (var i = 1; i < node.InputCount; i++)
        {
            node.RequireSameType(0, i);
        }

        node.SetOutput(0, type, ShapeInference.Broadcast(Enumerable.Range(0, node.InputCount).Select(node.InputShape)));
        return TypeDispatch.Numeric<Factory<TOp>, IKernel>(type, new Factory<TOp>(mean));
    }

    private readonly struct Factory<TOp>(bool mean) : INumericFactory<IKernel>
        where TOp : IArithmetic
    {
        public IKernel Create<T>()
            where T : unmanaged, INumber<T> => new Kernel<T, TOp>(mean);
    }

    private sealed class Kernel<T, TOp>(bool mean) : IKernel
        where T : INumber<T>
        where TOp : IArithmetic
    {
        public void Run(KernelContext context)
        {
            var shape = context.Input<T>(0).ShapeRef;
            for (var i = 1; i < context.InputCount; i++)
            {
                shape = BroadcastPlan.Shape(shape, context.Input<T>(i).Shape);
            }

            var y = context.Output<T>(0, shape);
            var first = context.Input<T>(0);
            BroadcastCopy.Copy<T>(first.Span, first.ShapeRef, y.Span, shape);
            for (var i = 1; i < context.InputCount; i++)
            {
                // In place: the accumulator is operand A and the destination, chunk for chunk.
                var x = context.Input<T>(i);
                BinaryBroadcast.Apply<T, T, T, ArithmeticOp<T, TOp>>(y.Span, shape, x.Span, x.Shape, y.Span, shape);
            }

            if (mean)
            {
                TensorPrimitives.Divide(y.Span, T.CreateTruncating(context.InputCount), y.Span);
            }
        }
    }
}
