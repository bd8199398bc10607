using System.Numerics;
using Escala.Onnx.Execution;
using Escala.Onnx.Operators.Dispatch;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Operators.Elementwise;

/// <summary>Element-wise math without attributes: Exp, Log, Sqrt, Sigmoid, Tanh, Erf, Floor, Ceil, Round, Reciprocal, Softplus, Abs, Neg, Relu, Sign.</summary>
internal static class UnaryOperators
{
    public static void Register(KernelRegistry registry)
    {
        registry.Add(OpsetDomains.Default, "Exp", 6, Float<ExpFn>);
        registry.Add(OpsetDomains.Default, "Log", 6, Float<LogFn>);
        registry.Add(OpsetDomains.Default, "Sqrt", 6, Float<SqrtFn>);
        registry.Add(OpsetDomains.Default, "Sigmoid", 6, Float<SigmoidFn>);
        registry.Add(OpsetDomains.Default, "Tanh", 6, Float<TanhFn>);
        registry.Add(OpsetDomains.Default, "Erf", 9, Float<ErfFn>);
        registry.Add(OpsetDomains.Default, "Floor", 6, Float<FloorFn>);
        registry.Add(OpsetDomains.Default, "Ceil", 6, Float<CeilFn>);
        registry.Add(OpsetDomains.Default, "Round", 11, Float<RoundFn>);
        registry.Add(OpsetDomains.Default, "Reciprocal", 6, Float<ReciprocalFn>);
        registry.Add(OpsetDomains.Default, "Softplus", 1, Float<SoftplusFn>);
        registry.Add(OpsetDomains.Default, "Abs", 6, node => Number<AbsFn>(node, TypeDispatch.NumericTypes));
        registry.Add(OpsetDomains.Default, "Neg", 6, node => Number<NegFn>(node, TypeDispatch.SignedTypes));
        registry.Add(OpsetDomains.Default, "Relu", 6, node => Number<ReluFn>(node, TypeDispatch.SignedTypes));
        registry.Add(OpsetDomains.Default, "Sign", 9, node => Number<SignFn>(node, TypeDispatch.NumericTypes));
    }

    private static IKernel Float<TOp>(KernelBuildContext node)
        where TOp : IFloatFunction
    {
        var type = node.RequireType(0, TypeDispatch.FloatTypes);
        node.SetOutput(0, type, node.InputShape(0));
        return TypeDispatch.Float<FloatFactory<TOp>, IKernel>(type, default);
    }

    private static IKernel Number<TOp>(KernelBuildContext node, ElementType[] allowed)
        where TOp : INumberFunction
    {
        var type = node.RequireType(0, allowed);
        node.SetOutput(0, type, node.InputShape(0));
        return TypeDispatch.Numeric<NumberFactory<TOp>, IKernel>(type, default);
    }

    private readonly struct FloatFactory<TOp> : IFloatFactory<IKernel>
        where TOp : IFloatFunction
    {
        public IKernel Create<T>()
            where T : unmanaged, IFloatingPointIeee754<T> => new UnaryKernel<T, T, FloatUnary<T, TOp>>();
    }

    private readonly struct NumberFactory<TOp> : INumericFactory<IKernel>
        where TOp : INumberFunction
    {
        public IKernel Create<T>()
            where T : unmanaged, INumber<T> => new UnaryKernel<T, T, NumberUnary<T, TOp>>();
    }
}
