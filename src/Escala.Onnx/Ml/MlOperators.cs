using Escala.Onnx.Execution;
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
    }
}
