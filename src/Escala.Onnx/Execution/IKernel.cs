namespace Escala.Onnx.Execution;

/// <summary>
/// A compiled operator: made once per node when a session is compiled (by a <see cref="KernelFactory"/>),
/// then run for every call. <see cref="Run"/> is called concurrently from many threads, so a kernel keeps
/// no per-call state in fields; it reads inputs and writes outputs through the <see cref="KernelContext"/>
/// and never writes into an input.
/// </summary>
public interface IKernel
{
    /// <summary>Computes the node's outputs from its inputs.</summary>
    void Run(KernelContext context);
}
