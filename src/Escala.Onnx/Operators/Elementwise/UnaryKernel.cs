using Escala.Onnx.Execution;

namespace Escala.Onnx.Operators.Elementwise;

/// <summary>An element-wise unary operation on spans.</summary>
internal interface IUnarySpanOp<T, TOut>
{
    static abstract void Apply(ReadOnlySpan<T> x, Span<TOut> destination);
}

/// <summary>An element-wise unary operator: <c>Y = op(X)</c>, same shape.</summary>
internal sealed class UnaryKernel<T, TOut, TOp> : IKernel
    where TOp : IUnarySpanOp<T, TOut>
{
    public void Run(KernelContext context)
    {
        var x = context.Input<T>(0);
        var y = context.Output<TOut>(0, x.ShapeRef);
        TOp.Apply(x.Span, y.Span);
    }
}
