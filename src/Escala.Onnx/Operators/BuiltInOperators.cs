using Escala.Onnx.Execution;
using Escala.Onnx.Operators.Elementwise;
using Escala.Onnx.Operators.Manipulation;
using Escala.Onnx.Operators.LinearAlgebra;

namespace Escala.Onnx.Operators;

/// <summary>Registers every default-domain (ai.onnx) kernel, family by family.</summary>
public static class BuiltInOperators
{
    /// <summary>Adds the default-domain kernels to <paramref name="registry"/>.</summary>
    public static void Register(KernelRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArithmeticOperators.Register(registry);
        ComparisonOperators.Register(registry);
        LogicalOperators.Register(registry);
        UnaryOperators.Register(registry);
        Activations.Register(registry);
        MathOperators.Register(registry);
        IdentityOperator.Register(registry);
    }
}
