using System.Numerics.Tensors;

namespace Escala.Onnx.Ml.Svm;

/// <summary>
/// An SVM kernel with its parameters (attribute <c>kernel_params</c>: gamma, coef0, degree), evaluated in single
/// precision between one input row and every support vector, as ONNX Runtime does.
/// </summary>
public sealed class SvmKernelFunction
{
    /// <summary>A kernel of <paramref name="type"/> with the given parameters.</summary>
    public SvmKernelFunction(SvmKernelType type, float gamma, float coef0, float degree)
    {
        Type = type;
        Gamma = gamma;
        Coef0 = coef0;
        Degree = degree;
    }

    /// <summary>The kernel type.</summary>
    public SvmKernelType Type { get; }

    /// <summary>gamma (POLY, RBF, SIGMOID).</summary>
    public float Gamma { get; }

    /// <summary>coef0 (POLY, SIGMOID).</summary>
    public float Coef0 { get; }

    /// <summary>The degree (POLY).</summary>
    public float Degree { get; }

    /// <summary>Parses "LINEAR", "POLY", "RBF" or "SIGMOID" and the optional [gamma, coef0, degree].</summary>
    public static SvmKernelFunction Parse(string? type, IReadOnlyList<float>? parameters)
    {
        var kind = type switch
        {
            null or "" or "LINEAR" => SvmKernelType.Linear,
            "POLY" => SvmKernelType.Poly,
            "RBF" => SvmKernelType.Rbf,
            "SIGMOID" => SvmKernelType.Sigmoid,
            _ => throw new FormatException($"kernel_type '{type}' is not one of LINEAR, POLY, RBF, SIGMOID."),
        };
        if (parameters is { Count: > 0 and < 3 })
        {
            throw new FormatException($"kernel_params has {parameters.Count} values; it must list gamma, coef0 and degree.");
        }

        return parameters is { Count: >= 3 }
            ? new SvmKernelFunction(kind, parameters[0], parameters[1], parameters[2])
            : new SvmKernelFunction(kind, 0f, 0f, 0f);
    }

    /// <summary>The kernel between <paramref name="row"/> and each of the <paramref name="vectors"/> (row-major, one per row).</summary>
    public void Evaluate(ReadOnlySpan<float> row, ReadOnlySpan<float> vectors, Span<float> result, Span<float> scratch)
    {
        var features = row.Length;
        for (var v = 0; v < result.Length; v++)
        {
            var vector = vectors.Slice(v * features, features);
            result[v] = Type switch
            {
                SvmKernelType.Linear => TensorPrimitives.Dot(row, vector),
                SvmKernelType.Rbf => MathF.Exp(-Gamma * SquaredDistance(row, vector, scratch)),
                SvmKernelType.Poly => Power((Gamma * TensorPrimitives.Dot(row, vector)) + Coef0),
                _ => MathF.Tanh((Gamma * TensorPrimitives.Dot(row, vector)) + Coef0),
            };
        }
    }

    private static float SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> scratch)
    {
        var difference = scratch[..a.Length];
        TensorPrimitives.Subtract(a, b, difference);
        return TensorPrimitives.Dot(difference, difference);
    }

    private float Power(float value) => Degree switch
    {
        2f => value * value,
        3f => value * value * value,
        _ => MathF.Pow(value, Degree),
    };
}
