using System.Numerics;
using System.Runtime.InteropServices;
using Escala.Onnx.Execution;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Operators.LinearAlgebra;

/// <summary>
/// numpy matmul: 1-D operands are promoted (and the added dim removed), batch dims broadcast. A float
/// weight matrix known at compile time is packed once; when B has no batch dims the whole of A is one product.
/// </summary>
internal sealed class MatMulKernel<T>(PackedB? packedWeights) : IKernel
    where T : unmanaged, INumber<T>
{
    public void Run(KernelContext context)
    {
        var a = context.Input<T>(0);
        var b = context.Input<T>(1);
        var sa = a.Shape;
        var sb = b.Shape;
        if (sa.Length == 0 || sb.Length == 0)
        {
            throw context.Fail("MatMul operands must have at least one dimension");
        }

        var m = sa.Length == 1 ? 1 : sa[^2];
        var k = sa[^1];
        var kb = sb.Length == 1 ? sb[0] : sb[^2];
        var n = sb.Length == 1 ? 1 : sb[^1];
        if (k != kb)
        {
            throw context.Fail($"cannot multiply [{TensorShape.Format(sa)}] by [{TensorShape.Format(sb)}]: inner dimensions {k} and {kb} differ");
        }

        var batchA = sa.Length > 2 ? sa[..^2] : [];
        var batchB = sb.Length > 2 ? sb[..^2] : [];
        var batch = Broadcasting.BroadcastPlan.Shape(batchA, batchB);
        var shape = new List<int>(batch);
        if (sa.Length > 1)
        {
            shape.Add(m);
        }

        if (sb.Length > 1)
        {
            shape.Add(n);
        }

        var y = context.Output<T>(0, [.. shape]);
        var batches = TensorShape.Size(batch);
        if (y.Length == 0)
        {
            return;
        }

        if (batchB.Length == 0 || TensorShape.Size(batchB) == 1)
        {
            // B is one matrix: every batch of A stacks into a single (batches * M) x K product.
            Multiply(context, a.Span, batches * m, b.Span, k, n, y.Span, packedWeights);
            return;
        }

        var stridesA = BatchStrides(batchA, batch.Length);
        var stridesB = BatchStrides(batchB, batch.Length);
        for (var t = 0; t < batches; t++)
        {
            int offA = 0, offB = 0, rest = t;
            for (var d = batch.Length - 1; d >= 0; d--)
            {
                var index = rest % batch[d];
                rest /= batch[d];
                offA += index * stridesA[d];
                offB += index * stridesB[d];
            }

            Multiply(context, a.Span.Slice(offA * m * k, m * k), m, b.Span.Slice(offB * k * n, k * n), k, n, y.Span.Slice(t * m * n, m * n), null);
        }
    }

    /// <summary>Per broadcast batch dim: the operand's matrix stride, 0 where it repeats.</summary>
    private static int[] BatchStrides(ReadOnlySpan<int> operand, int rank)
    {
        var strides = new int[rank];
        var running = 1;
        for (var d = rank - 1; d >= 0; d--)
        {
            var od = d - (rank - operand.Length);
            var size = od >= 0 ? operand[od] : 1;
            strides[d] = size == 1 ? 0 : running;
            running *= size;
        }

        return strides;
    }

    private static void Multiply(KernelContext context, ReadOnlySpan<T> a, int m, ReadOnlySpan<T> b, int k, int n, Span<T> y, PackedB? packed)
    {
        if (typeof(T) == typeof(float))
        {
            var af = MemoryMarshal.Cast<T, float>(a);
            var yf = MemoryMarshal.Cast<T, float>(y);
            if (packed is not null)
            {
                FloatGemm.Multiply(af, k, packed, yf, n, m, 1f, accumulate: false);
                return;
            }

            var scratch = context.Scratch<float>(PackedB.PackedLength(k, n));
            PackedB.Pack(MemoryMarshal.Cast<T, float>(b), k, n, transposed: false, scratch);
            FloatGemm.Multiply(af, k, scratch, k, n, yf, n, m, 1f, accumulate: false);
            return;
        }

        GenericGemm.Multiply(a, false, b, false, y, m, n, k, T.One, accumulate: false, context.Scratch<T>(n));
    }
}
