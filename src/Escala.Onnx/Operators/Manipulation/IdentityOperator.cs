using Escala.Onnx.Execution;

namespace Escala.Onnx.Operators.Manipulation;

/// <summary>Identity: the output is the input (shared, never copied; the caller gets a copy if it is a graph output).</summary>
internal static class IdentityOperator
{
    public static void Register(KernelRegistry registry) => registry.Add(OpsetDomains.Default, "Identity", 1, Create);

    private static IKernel Create(KernelBuildContext node)
    {
        node.SetOutput(0, node.InputType(0));
        return new Kernel();
    }

    private sealed class Kernel : IKernel
    {
        public void Run(KernelContext context) => context.SetOutput(0, context.Input(0));
    }
}
