using Escala.Onnx.Execution;

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

        // ai.onnx.ml kernels are registered here, e.g.
        // registry.Add(OpsetDomains.Ml, "Scaler", 1, ScalerKernel.Create);
    }
}
