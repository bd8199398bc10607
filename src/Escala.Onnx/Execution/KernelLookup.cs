namespace Escala.Onnx.Execution;

/// <summary>The result of resolving a node against a <see cref="KernelRegistry"/>: a factory, or why there is none.</summary>
public readonly record struct KernelLookup(KernelFactory? Factory, int SinceVersion, string? Reason)
{
    /// <summary>Whether a kernel was found.</summary>
    public bool IsFound => Factory is not null;

    internal static KernelLookup Found(int since, KernelFactory factory) => new(factory, since, null);

    internal static KernelLookup Missing(string reason) => new(null, 0, reason);
}
