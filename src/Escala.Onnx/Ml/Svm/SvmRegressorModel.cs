using System.Numerics.Tensors;

namespace Escala.Onnx.Ml.Svm;

/// <summary>
/// The arithmetic of SVMRegressor: <c>Σ coef_v K(x, sv_v) + rho[0]</c> over <c>n_supports</c> support vectors, or a
/// linear model <c>x · coef + rho[0]</c> when there are none; a one-class SVM answers the sign (1 or -1).
/// </summary>
public sealed class SvmRegressorModel
{
    private readonly float[] _coefficients;
    private readonly float[] _supportVectors;
    private readonly float _rho;

    /// <summary>Validates the attributes and prepares the model.</summary>
    public SvmRegressorModel(
        SvmKernelFunction kernel, PostTransform postTransform, IReadOnlyList<float> coefficients, IReadOnlyList<float>? supportVectors,
        long supportCount, IReadOnlyList<float> rho, bool oneClass)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(coefficients);
        ArgumentNullException.ThrowIfNull(rho);
        if (coefficients.Count == 0)
        {
            throw new FormatException("coefficients is empty.");
        }

        if (rho.Count == 0)
        {
            throw new FormatException("rho is empty.");
        }

        if (supportCount < 0 || supportCount > int.MaxValue)
        {
            throw new FormatException($"n_supports = {supportCount} is not a valid count.");
        }

        _coefficients = [.. coefficients];
        _rho = rho[0];
        OneClass = oneClass;
        PostTransform = postTransform;
        VectorCount = (int)supportCount;
        if (VectorCount > 0)
        {
            Kernel = kernel;
            _supportVectors = supportVectors is null ? [] : [.. supportVectors];
            if (_supportVectors.Length == 0 || _supportVectors.Length % VectorCount != 0)
            {
                throw new FormatException($"support_vectors has {_supportVectors.Length} values, not a multiple of n_supports = {VectorCount}.");
            }

            if (_coefficients.Length != VectorCount)
            {
                throw new FormatException($"coefficients has {_coefficients.Length} values; expected one per support vector ({VectorCount}).");
            }

            FeatureCount = _supportVectors.Length / VectorCount;
        }
        else
        {
            Kernel = new SvmKernelFunction(SvmKernelType.Linear, 0f, 0f, 0f);
            _supportVectors = [];
            FeatureCount = _coefficients.Length;
        }
    }

    /// <summary>Features each row must have.</summary>
    public int FeatureCount { get; }

    /// <summary>Number of support vectors (0 for the linear form).</summary>
    public int VectorCount { get; }

    /// <summary>Whether this is a one-class SVM (outputs 1 inside, -1 outside).</summary>
    public bool OneClass { get; }

    /// <summary>The kernel.</summary>
    public SvmKernelFunction Kernel { get; }

    /// <summary>The post transform (only PROBIT changes a single score).</summary>
    public PostTransform PostTransform { get; }

    /// <summary>Scratch floats <see cref="Predict"/> needs.</summary>
    public int ScratchLength => VectorCount + FeatureCount;

    /// <summary>The prediction for one row.</summary>
    public float Predict(ReadOnlySpan<float> row, Span<float> scratch)
    {
        float y;
        if (VectorCount == 0)
        {
            y = TensorPrimitives.Dot(row, _coefficients) + _rho;
        }
        else
        {
            var kernels = scratch[..VectorCount];
            Kernel.Evaluate(row, _supportVectors, kernels, scratch[VectorCount..]);
            y = TensorPrimitives.Dot(kernels, _coefficients) + _rho;
        }

        if (OneClass)
        {
            return y > 0f ? 1f : -1f;
        }

        return PostTransform == PostTransform.Probit ? ScoreTransform.Probit(y) : y;
    }
}
