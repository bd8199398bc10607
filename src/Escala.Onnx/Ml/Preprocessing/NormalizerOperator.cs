using Escala.Onnx.Execution;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Ml.Preprocessing;

/// <summary>
/// Normalizer: each row divided by its maximum (MAX), the sum of absolute values (L1) or the Euclidean norm (L2);
/// a row whose divisor is zero is left as it is. Output float, same shape ([N, C] or [C]).
/// </summary>
internal static class NormalizerOperator
{
    public static void Register(KernelRegistry registry) => registry.Add(OpsetDomains.Ml, "Normalizer", 1, Create);

    private static IKernel Create(KernelBuildContext node)
    {
        node.RequireType(0, FeatureInput.NumericTypes);
        var norm = node.GetString("norm", "MAX") switch
        {
            "MAX" => Norm.Max,
            "L1" => Norm.L1,
            "L2" => Norm.L2,
            var other => throw node.Fail($"norm '{other}' is not one of MAX, L1, L2"),
        };
        node.SetOutput(0, ElementType.Float, node.InputShape(0));
        return new NormalizerKernel(norm);
    }
}

/// <summary>The divisor a <see cref="NormalizerKernel"/> uses.</summary>
internal enum Norm
{
    Max,
    L1,
    L2,
}

/// <summary>Normalizes each row.</summary>
internal sealed class NormalizerKernel(Norm norm) : IKernel
{
    public void Run(KernelContext context)
    {
        var x = context.InputTensor(0);
        var (rows, features) = FeatureInput.Shape(context, x);
        var data = FeatureInput.As<float>(context, x);
        var y = context.Output<float>(0, x.ShapeArray()).Span;
        for (var r = 0; r < rows; r++)
        {
            var row = data.Slice(r * features, features);
            var divisor = norm switch
            {
                Norm.Max => Max(row),
                Norm.L1 => System.Numerics.Tensors.TensorPrimitives.SumOfMagnitudes(row),
                _ => MathF.Sqrt(System.Numerics.Tensors.TensorPrimitives.SumOfSquares(row)),
            };
            var output = y.Slice(r * features, features);
            if (divisor == 0f)
            {
                row.CopyTo(output);
            }
            else
            {
                System.Numerics.Tensors.TensorPrimitives.Divide(row, divisor, output);
            }
        }
    }

    private static float Max(ReadOnlySpan<float> row)
    {
        var max = float.MinValue;
        foreach (var v in row)
        {
            max = v > max ? v : max;
        }

        return row.IsEmpty ? 0f : max;
    }
}
