using System.Numerics;
using Escala.Onnx.Execution;
using Escala.Onnx.Operators.Broadcasting;
using Escala.Onnx.Operators.Dispatch;

namespace Escala.Onnx.Operators.Elementwise;

/// <summary>Add, Sub, Mul, Div: numeric, same type on both sides, numpy broadcasting.</summary>
internal static class ArithmeticOperators
{
    public static void Register(KernelRegistry registry)
    {
        registry.Add(OpsetDomains.Default, "Add", 7, Create<AddOp>);
        registry.Add(OpsetDomains.Default, "Sub", 7, Create<SubOp>);
        registry.Add(OpsetDomains.Default, "Mul", 7, Create<MulOp>);
        registry.Add(OpsetDomains.Default, "Div", 7, Create<DivOp>);
    }

    private static IKernel Create<TOp>(KernelBuildContext node)
        where TOp : IArithmetic
    {
        var type = node.RequireType(0, TypeDispatch.NumericTypes);
        node.RequireSameType(0, 1);
        node.SetOutput(0, type, ShapeInference.Broadcast(node.InputShape(0), node.InputShape(1)));
        return Kernel<TOp>(type);
    }

    /// <summary>The broadcasting kernel for <typeparamref name="TOp"/> on <paramref name="type"/>.</summary>
    public static IKernel Kernel<TOp>(Tensors.ElementType type)
        where TOp : IArithmetic => TypeDispatch.Numeric<Factory<TOp>, IKernel>(type, default);

    private readonly struct Factory<TOp> : INumericFactory<IKernel>
        where TOp : IArithmetic
    {
        public IKernel Create<T>()
            where T : unmanaged, INumber<T> => new BinaryKernel<T, T, T, ArithmeticOp<T, TOp>>();
    }
}
