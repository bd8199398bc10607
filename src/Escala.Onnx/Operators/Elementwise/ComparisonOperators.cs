using System.Numerics;
using Escala.Onnx.Execution;
using Escala.Onnx.Operators.Broadcasting;
using Escala.Onnx.Operators.Dispatch;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Operators.Elementwise;

/// <summary>Equal, Greater, Less, GreaterOrEqual, LessOrEqual: (T, T) to bool with broadcasting.</summary>
internal static class ComparisonOperators
{
    public static void Register(KernelRegistry registry)
    {
        registry.Add(OpsetDomains.Default, "Equal", 7, Create<EqualOp>);
        registry.Add(OpsetDomains.Default, "Greater", 7, Create<GreaterOp>);
        registry.Add(OpsetDomains.Default, "Less", 7, Create<LessOp>);
        registry.Add(OpsetDomains.Default, "GreaterOrEqual", 12, Create<GreaterOrEqualOp>);
        registry.Add(OpsetDomains.Default, "LessOrEqual", 12, Create<LessOrEqualOp>);
    }

    private static IKernel Create<TOp>(KernelBuildContext node)
        where TOp : IComparison
    {
        var equality = typeof(TOp) == typeof(EqualOp);
        var type = node.RequireType(0, equality ? TypeDispatch.AllTypes : TypeDispatch.NumericTypes);
        node.RequireSameType(0, 1);
        node.SetOutput(0, ElementType.Bool, ShapeInference.Broadcast(node.InputShape(0), node.InputShape(1)));
        return type switch
        {
            ElementType.Bool => new BinaryKernel<bool, bool, bool, EqualityOp<bool>>(),
            ElementType.String => new BinaryKernel<string, string, bool, EqualityOp<string>>(),
            _ => TypeDispatch.Numeric<Factory<TOp>, IKernel>(type, default),
        };
    }

    private readonly struct Factory<TOp> : INumericFactory<IKernel>
        where TOp : IComparison
    {
        public IKernel Create<T>()
            where T : unmanaged, INumber<T> => new BinaryKernel<T, T, bool, ComparisonOp<T, TOp>>();
    }
}
