using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Escala.Onnx.Execution;
using Escala.Onnx.Operators.Broadcasting;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Operators.LinearAlgebra;

/// <summary>Gemm's attributes, and whether a following Relu was fused into it.</summary>
internal sealed record GemmOptions(bool TransA, bool TransB, float Alpha, float Beta, bool Relu);

/// <summary>
/// Y = alpha * op(A) * op(B) + beta * C, C broadcast to M x N (then max(Y, 0) when a Relu was fused);
/// float weights are packed at compile time and a bias row is added by the micro-kernel as it writes.
/// </summary>
internal sealed class GemmKernel<T>(GemmOptions options, PackedB? packedWeights, float[]? rowBias) : IKernel
    where T : unmanaged, INumber<T>
{
    private readonly bool _transA = options.TransA;
    private readonly bool _transB = options.TransB;
    private readonly T _alpha = T.CreateSaturating(options.Alpha);
    private readonly T _beta = T.CreateSaturating(options.Beta);

    public void Run(KernelContext context)
    {
        var a = context.Input<T>(0);
        var b = context.Input<T>(1);
        var c = context.OptionalInput<T>(2);
        if (a.Rank != 2 || b.Rank != 2)
        {
            throw context.Fail($"Gemm needs 2-D A and B, got [{TensorShape.Format(a.Shape)}] and [{TensorShape.Format(b.Shape)}]");
        }

        var m = _transA ? a.Dim(1) : a.Dim(0);
        var k = _transA ? a.Dim(0) : a.Dim(1);
        var kb = _transB ? b.Dim(1) : b.Dim(0);
        var n = _transB ? b.Dim(0) : b.Dim(1);
        if (k != kb)
        {
            throw context.Fail($"cannot multiply A [{TensorShape.Format(a.Shape)}]{(_transA ? " transposed" : string.Empty)} by B [{TensorShape.Format(b.Shape)}]{(_transB ? " transposed" : string.Empty)}: inner dimensions {k} and {kb} differ");
        }

        int[] shape = [m, n];
        var y = context.Output<T>(0, shape);
        var accumulate = false;
        ReadOnlySpan<float> bias = default;
        if (c is not null && !T.IsZero(_beta))
        {
            if (typeof(T) == typeof(float) && IsRow(c, n))
            {
                // A bias row (the usual Gemm C) is added by the micro-kernel as it writes, not in a separate pass.
                bias = rowBias ?? ScaledRow(context, c, n);
            }
            else
            {
                FillScaled(context, c, shape, y.Span);
                accumulate = true;
            }
        }

        if (typeof(T) == typeof(float))
        {
            MultiplyFloat(context, a, b, m, n, k, y, accumulate, bias);
            return;
        }

        GenericGemm.Multiply(a.Span, _transA, b.Span, _transB, y.Span, m, n, k, _alpha, accumulate, context.Scratch<T>(n));
        if (options.Relu)
        {
            TensorPrimitives.Max(y.Span, T.Zero, y.Span);
        }
    }

    /// <summary>Whether C is one row of N values ([N] or [1, N]) broadcast to every row.</summary>
    public static bool IsRow(OnnxTensor c, int n) => c.Length == n && (c.Rank == 1 || (c.Rank == 2 && c.Dim(0) == 1)) && n > 1;

    private ReadOnlySpan<float> ScaledRow(KernelContext context, OnnxTensor<T> c, int n)
    {
        var scaled = context.Scratch<float>(n);
        TensorPrimitives.Multiply(MemoryMarshal.Cast<T, float>(c.Span), float.CreateTruncating(_beta), scaled);
        return scaled;
    }

    private void MultiplyFloat(KernelContext context, OnnxTensor<T> a, OnnxTensor<T> b, int m, int n, int k, OnnxTensor<T> y, bool accumulate, ReadOnlySpan<float> bias)
    {
        ReadOnlySpan<float> af = MemoryMarshal.Cast<T, float>(a.Span);
        if (_transA)
        {
            var t = context.Scratch<float>((long)m * k);
            for (var p = 0; p < k; p++)
            {
                for (var i = 0; i < m; i++)
                {
                    t[(i * k) + p] = af[(p * m) + i];
                }
            }

            af = t;
        }

        var alphaF = float.CreateTruncating(_alpha);
        var yf = MemoryMarshal.Cast<T, float>(y.Span);
        if (packedWeights is not null)
        {
            FloatGemm.Multiply(af, k, packedWeights, yf, n, m, alphaF, accumulate, bias, options.Relu);
            return;
        }

        var packed = context.Scratch<float>(PackedB.PackedLength(k, n));
        PackedB.Pack(MemoryMarshal.Cast<T, float>(b.Span), k, n, _transB, packed);
        FloatGemm.Multiply(af, k, packed, k, n, yf, n, m, alphaF, accumulate, bias, options.Relu);
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
                TensorPrimitives.Multiply(src.Slice(off, n), _beta, dst);
            }
            else
            {
                dst.Fill(src[off] * _beta);
            }
        }
    }
}
