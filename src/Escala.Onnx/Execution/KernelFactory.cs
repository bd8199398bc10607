namespace Escala.Onnx.Execution;

/// <summary>
/// Binds one node to a kernel at compile time: reads attributes and input types from <paramref name="node"/>,
/// declares every output's type with <see cref="KernelBuildContext.SetOutput(int, Tensors.OnnxTypeInfo)"/>,
/// and returns the kernel (or throws <see cref="KernelBuildContext.Fail"/> for what it does not support).
/// </summary>
public delegate IKernel KernelFactory(KernelBuildContext node);
