using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Escala.Onnx.Execution;
using Escala.Onnx.Operators.Broadcasting;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Operators.LinearAlgebra;

/// <summary>Y = alpha * op(A) * op(B) + beta * C, C broadcast to M x N; float weights are packed at compile time.</summary>
internal sealed class GemmKernel<T>(bool transA, bool transB, T alpha, T beta, PackedB? packedWeights) : IKernel
    where T : unmanaged, INumber<T>
{
    public void Run(KernelContext context)
    {
        var a = context.Input<T>(0);
        var b = context.Input<T>(1);
        var c = context.OptionalInput<T>(2);
        if (a.Rank != 2 || b.Rank != 2)
        {
            throw context.Fail($"Gemm needs 2-D A and B, got [{TensorShape.Format(a.Shape)}] and [{TensorShape.Format(b.Shape)}]");
        }

        var m = transA ? a.Dim(1) : a.Dim(0);
        var k = transA ? a.Dim(0) : a.Dim(1);
        var kb = transB ? b.Dim(1) : b.Dim(0);
        var n = transB ? b.Dim(0) : b.Dim(1);
        if (k != kb)
        {
            throw context.Fail($"cannot multiply A [{TensorShape.Format(a.Shape)}]{(transA ? " transposed" : string.Empty)} by B [{TensorShape.Format(b.Shape)}]{(transB ? " transposed" : string.Empty)}: inner dimensions {k} and {kb} differ");
        }

        int[] shape = [m, n];
        var y = context.Output<T>(0, shape);
        var accumulate = false;
        if (c is not null && !T.IsZero(beta))
        {
            FillScaled(context, c, shape, y.Span);
            accumulate = true;
        }

        if (typeof(T) == typeof(float))
        {
            MultiplyFloat(context, a, b, m, n, k, y, accumulate);
            return;
        }

        GenericGemm.Multiply(a.Span, transA, b.Span, transB, y.Span, m, n, k, alpha, accumulate, context.Scratch<T>(n));
    }

    private void MultiplyFloat(KernelContext context, OnnxTensor<T> a, OnnxTensor<T> b, int m, int n, int k, OnnxTensor<T> y, bool accumulate)
    {
        ReadOnlySpan<float> af = MemoryMarshal.Cast<T, float>(a.Span);
        if (transA)
        {
            var t = context.Scratch<float>(m * k);
            for (var p = 0; p < k; p++)
            {
                for (var i = 0; i < m; i++)
                {
                    t[(i * k) + p] = af[(p * m) + i];
                }
            }

            af = t;
        }

        var alphaF = float.CreateTruncating(alpha);
        var yf = MemoryMarshal.Cast<T, float>(y.Span);
        if (packedWeights is not null)
        {
            FloatGemm.Multiply(af, k, packedWeights, yf, n, m, alphaF, accumulate);
            return;
        }

        var packed = context.Scratch<float>(PackedB.PackedLength(k, n));
        PackedB.Pack(MemoryMarshal.Cast<T, float>(b.Span), k, n, transB, packed);
        FloatGemm.Multiply(af, k, packed, k, n, yf, n, m, alphaF, accumulate);
    }

    /// <summary>Y = beta * C broadcast to [M, N] (unidirectional: C's dims are 1 or match).</summary>
    private void FillScaled(KernelContext context, OnnxTensor<T> c, int[] shape, Span<T> y)
    {
        BroadcastPlan plan;
        try
        {
            plan = BroadcastPlan.Create(shape, [c.ShapeArray()]);
        }
        catch (ArgumentException e)
        {
            throw context.Fail($"C {e.Message}");
        }

        var src = c.Span;
        var n = plan.InnerLength;
        for (var o = 0; o < plan.OuterCount; o++)
        {
            var dst = y.Slice(o * n, n);
            var off = plan.Offset(0, o);
            if (plan.InnerStrides[0] == 1)
            {
                TensorPrimitives.Multiply(src.Slice(off, n), beta, dst);
            }
            else
            {
                dst.Fill(src[off] * beta);
            }
        }
    }
}
