using Escala.Onnx.Execution;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Operators.Manipulation;

/// <summary>
/// Dropout at inference (as PyTorch exports can leave it): the output is the input and the optional mask
/// is all true. Training mode, which would drop values at random, is refused.
/// </summary>
internal static class DropoutOperator
{
    public static void Register(KernelRegistry registry) => registry.Add(OpsetDomains.Default, "Dropout", 7, Create);

    private static IKernel Create(KernelBuildContext node)
    {
        node.SetOutput(0, node.InputType(0));
        node.SetOutput(1, ElementType.Bool, node.InputShape(0));
        if (node.ConstantInput(2) is OnnxTensor<bool> training && training.Length == 1 && training[0])
        {
            throw node.Fail("training_mode = true drops values at random; only inference is supported");
        }

        return new Kernel();
    }

    private sealed class Kernel : IKernel
    {
        public void Run(KernelContext context)
        {
            var x = context.InputTensor(0);
            if (context.HasInput(2) && context.Input<bool>(2) is { Length: 1 } training && training[0])
            {
                throw context.Fail("training_mode = true drops values at random; only inference is supported");
            }

            context.SetOutput(0, x);
            if (context.HasOutput(1))
            {
                context.Output<bool>(1, x.ShapeArray()).Span.Fill(true);
            }
        }
    }
}
