using Escala.Onnx.Execution;

namespace Escala.Onnx.Operators.Broadcasting;

/// <summary>An element-wise binary operator with numpy broadcasting: <c>C = op(A, B)</c>.</summary>
internal sealed class BinaryKernel<T1, T2, TOut, TOp> : IKernel
    where TOp : IBinarySpanOp<T1, T2, TOut>
{
    public void Run(KernelContext context)
    {
        var a = context.Input<T1>(0);
        var b = context.Input<T2>(1);
        var shape = TensorShapeOf(a.ShapeRef, b.ShapeRef);
        var c = context.Output<TOut>(0, shape);
        BinaryBroadcast.Apply<T1, T2, TOut, TOp>(a.Span, a.Shape, b.Span, b.Shape, c.Span, shape);
    }

    // Output shapes are immutable, so an operand's shape array is shared when it is already the answer.
    private static int[] TensorShapeOf(int[] a, int[] b)
    {
        if (a.AsSpan().SequenceEqual(b) || (b.Length <= a.Length && IsAllOnes(b)))
        {
            return a;
        }

        return a.Length <= b.Length && IsAllOnes(a) ? b : BroadcastPlan.Shape(a, b);
    }

    private static bool IsAllOnes(int[] shape)
    {
        foreach (var d in shape)
        {
            if (d != 1)
            {
                return false;
            }
        }

        return true;
    }
}
