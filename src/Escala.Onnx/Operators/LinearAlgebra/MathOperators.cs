using System.Numerics;
using Escala.Onnx.Execution;
using Escala.Onnx.Operators.Dispatch;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Operators.LinearAlgebra;

/// <summary>MatMul and Gemm.</summary>
internal static class MathOperators
{
    public static void Register(KernelRegistry registry)
    {
        registry.Add(OpsetDomains.Default, "MatMul", 1, CreateMatMul);
        registry.Add(OpsetDomains.Default, "Gemm", 7, CreateGemm);
    }

    private static IKernel CreateMatMul(KernelBuildContext node)
    {
        var type = node.RequireType(0, TypeDispatch.NumericTypes);
        node.RequireSameType(0, 1);
        node.SetOutput(0, type, MatMulShape(node.InputShape(0), node.InputShape(1)));
        var weights = node.ConstantInput(1);
        PackedB? packed = null;
        if (weights is OnnxTensor<float> w && w.Rank == 2)
        {
            packed = PackedB.Create(w.Span, w.Dim(0), w.Dim(1), transposed: false);
        }

        return TypeDispatch.Numeric<MatMulFactory, IKernel>(type, new MatMulFactory(packed));
    }

    private static IKernel CreateGemm(KernelBuildContext node)
    {
        var type = node.RequireType(0, TypeDispatch.NumericTypes);
        node.RequireSameType(0, 1);
        if (node.HasInput(2))
        {
            node.RequireSameType(0, 2);
        }

        var transA = node.GetInt("transA", 0) != 0;
        var transB = node.GetInt("transB", 0) != 0;
        var alpha = node.GetFloat("alpha", 1f);
        var beta = node.GetFloat("beta", 1f);
        var sa = node.InputShape(0);
        var sb = node.InputShape(1);
        OnnxDim[]? shape = sa is { Count: 2 } && sb is { Count: 2 } ? [transA ? sa[1] : sa[0], transB ? sb[0] : sb[1]] : null;
        node.SetOutput(0, type, shape);

        PackedB? packed = null;
        if (node.ConstantInput(1) is OnnxTensor<float> w && w.Rank == 2)
        {
            var k = transB ? w.Dim(1) : w.Dim(0);
            var n = transB ? w.Dim(0) : w.Dim(1);
            packed = PackedB.Create(w.Span, k, n, transB);
        }

        float[]? rowBias = null;
        if (node.ConstantInput(2) is OnnxTensor<float> c && packed is not null && GemmKernel<float>.IsRow(c, packed.N))
        {
            rowBias = [.. c.ToArray().Select(v => v * beta)];
        }

        return TypeDispatch.Numeric<GemmFactory, IKernel>(type, new GemmFactory(new GemmOptions(transA, transB, alpha, beta, node.FuseRelu), packed, rowBias));
    }

    private static OnnxDim[]? MatMulShape(IReadOnlyList<OnnxDim>? a, IReadOnlyList<OnnxDim>? b)
    {
        if (a is null || b is null || a.Count == 0 || b.Count == 0)
        {
            return null;
        }

        var batchA = a.Count > 2 ? a.Take(a.Count - 2).ToArray() : [];
        var batchB = b.Count > 2 ? b.Take(b.Count - 2).ToArray() : [];
        var dims = new List<OnnxDim>(Broadcasting.ShapeInference.Broadcast(batchA, batchB) ?? []);
        if (a.Count > 1)
        {
            dims.Add(a[^2]);
        }

        if (b.Count > 1)
        {
            dims.Add(b[^1]);
        }

        return [.. dims];
    }

    private readonly struct MatMulFactory(PackedB? packed) : INumericFactory<IKernel>
    {
        public IKernel Create<T>()
            where T : unmanaged, INumber<T> => new MatMulKernel<T>(packed);
    }

    private readonly struct GemmFactory(GemmOptions options, PackedB? packed, float[]? rowBias) : INumericFactory<IKernel>
    {
        public IKernel Create<T>()
            where T : unmanaged, INumber<T> => new GemmKernel<T>(options, packed, rowBias);
    }
}
