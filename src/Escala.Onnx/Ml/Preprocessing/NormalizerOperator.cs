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
            var output = y.Slice(r * features, features);
            if (features <= 16)
            {
                // Class-probability rows (2-16 values, after a classifier) are too short for vector calls to pay.
                NormalizeShort(row, output);
                continue;
            }

            var divisor = norm switch
            {
                Norm.Max => Max(row),
                Norm.L1 => System.Numerics.Tensors.TensorPrimitives.SumOfMagnitudes(row),
                _ => MathF.Sqrt(System.Numerics.Tensors.TensorPrimitives.SumOfSquares(row)),
            };
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

    private void NormalizeShort(ReadOnlySpan<float> row, Span<float> output)
    {
        var divisor = 0f;
        switch (norm)
        {
            case Norm.Max:
                divisor = Max(row);
                break;
            case Norm.L1:
                foreach (var v in row)
                {
                    divisor += MathF.Abs(v);
                }

                break;
            default:
                foreach (var v in row)
                {
                    divisor += v * v;
                }

                divisor = MathF.Sqrt(divisor);
                break;
        }

        for (var i = 0; i < row.Length; i++)
        {
            output[i] = divisor == 0f ? row[i] : row[i] / divisor;
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
