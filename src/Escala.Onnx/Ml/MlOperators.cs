using Escala.Onnx.Execution;
using Escala.Onnx.Ml.Encoding;
using Escala.Onnx.Ml.Linear;
using Escala.Onnx.Ml.Preprocessing;
using Escala.Onnx.Ml.Svm;
using Escala.Onnx.Ml.Trees;

namespace Escala.Onnx.Ml;

/// <summary>
/// Registers the ai.onnx.ml kernels. Owned by the ML kernels' author; the engine's registry calls
/// <see cref="Register"/> once, so the two sets of operators never share a file.
/// </summary>
public static class MlOperators
{
    /// <summary>Adds every ai.onnx.ml kernel to <paramref name="registry"/>.</summary>
    public static void Register(KernelRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        TreeEnsembleOperators.Register(registry);
        LinearClassifierOperator.Register(registry);
        LinearRegressorOperator.Register(registry);
        SvmOperators.Register(registry);
        ScalerOperator.Register(registry);
        NormalizerOperator.Register(registry);
        ImputerOperator.Register(registry);
        BinarizerOperator.Register(registry);
        FeatureVectorizerOperator.Register(registry);
        ArrayFeatureExtractorOperator.Register(registry);
        OneHotEncoderOperator.Register(registry);
        LabelEncoderOperator.Register(registry);
        CategoryMapperOperator.Register(registry);
        ZipMapOperator.Register(registry);
    }
}
