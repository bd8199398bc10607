using Escala.Onnx.Execution;
using Escala.Onnx.Operators.Elementwise;
using Escala.Onnx.Operators.LinearAlgebra;
using Escala.Onnx.Operators.Manipulation;
using Escala.Onnx.Operators.Normalization;
using Escala.Onnx.Operators.Reduction;

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
        PowOperator.Register(registry);
        ModOperator.Register(registry);
        ClipOperator.Register(registry);
        FloatClassOperators.Register(registry);
        VariadicOperators.Register(registry);
        MathOperators.Register(registry);
        IdentityOperator.Register(registry);
        DropoutOperator.Register(registry);
        ReshapeOperators.Register(registry);
        TransposeOperator.Register(registry);
        ConcatOperator.Register(registry);
        SplitOperator.Register(registry);
        SliceOperator.Register(registry);
        GatherOperators.Register(registry);
        ExpandTileOperators.Register(registry);
        WhereOperator.Register(registry);
        ShapeOperators.Register(registry);
        ConstantOperators.Register(registry);
        RangeOperator.Register(registry);
        CastOperators.Register(registry);
        ReduceOperators.Register(registry);
        ArgOperators.Register(registry);
        TopKOperator.Register(registry);
        SoftmaxOperators.Register(registry);
        BatchNormalizationOperator.Register(registry);
        LayerNormalizationOperator.Register(registry);
    }
}
