using System.Numerics;
using Escala.Onnx.Execution;
using Escala.Onnx.Operators.Broadcasting;
using Escala.Onnx.Operators.Dispatch;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Operators.Elementwise;

/// <summary>Pow: base and exponent may differ in type (opset 12+); the result has the base's type.</summary>
internal static class PowOperator
{
    private static readonly ElementType[] Bases = [ElementType.Float, ElementType.Double, ElementType.Float16, ElementType.Int32, ElementType.Int64];

    public static void Register(KernelRegistry registry) => registry.Add(OpsetDomains.Default, "Pow", 7, Create);

    private static IKernel Create(KernelBuildContext node)
    {
        var type = node.RequireType(0, Bases);
        var exponent = node.RequireType(1, TypeDispatch.NumericTypes);
        node.SetOutput(0, type, ShapeInference.Broadcast(node.InputShape(0), node.InputShape(1)));
        return TypeDispatch.Numeric<BaseFactory, IKernel>(type, new BaseFactory(exponent));
    }

    private readonly struct BaseFactory(ElementType exponent) : INumericFactory<IKernel>
    {
        public IKernel Create<TBase>()
            where TBase : unmanaged, INumber<TBase> => TypeDispatch.Numeric<ExponentFactory<TBase>, IKernel>(exponent, default);
    }

    private readonly struct ExponentFactory<TBase> : INumericFactory<IKernel>
        where TBase : unmanaged, INumber<TBase>
    {
        public IKernel Create<TExp>()
            where TExp : unmanaged, INumber<TExp> => new BinaryKernel<TBase, TExp, TBase, PowOp<TBase, TExp>>();
    }

    /// <summary>Computed in double (exact for integer results up to 2^53), then converted back.</summary>
    private readonly struct PowOp<TBase, TExp> : IBinarySpanOp<TBase, TExp, TBase>
        where TBase : INumber<TBase>
        where TExp : INumber<TExp>
    {
        public static TBase Scalar(TBase a, TExp b) =>
            TBase.CreateTruncating(Math.Pow(double.CreateTruncating(a), double.CreateTruncating(b)));

        public static void VectorVector(ReadOnlySpan<TBase> a, ReadOnlySpan<TExp> b, Span<TBase> destination)
        {
            for (var i = 0; i < destination.Length; i++)
            {
                destination[i] = Scalar(a[i], b[i]);
            }
        }

        public static void VectorScalar(ReadOnlySpan<TBase> a, TExp b, Span<TBase> destination)
        {
            for (var i = 0; i < destination.Length; i++)
            {
                destination[i] = Scalar(a[i], b);
            }
        }

        public static void ScalarVector(TBase a, ReadOnlySpan<TExp> b, Span<TBase> destination)
        {
            for (var i = 0; i < destination.Length; i++)
            {
                destination[i] = Scalar(a, b[i]);
            }
        }
    }
}
