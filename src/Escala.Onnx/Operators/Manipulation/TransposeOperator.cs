using Escala.Onnx.Execution;
using Escala.Onnx.Operators.Dispatch;

namespace Escala.Onnx.Operators.Manipulation;

/// <summary>Transpose: permutes dims (reversed when no perm is given).</summary>
internal static class TransposeOperator
{
    public static void Register(KernelRegistry registry) => registry.Add(OpsetDomains.Default, "Transpose", 1, Create);

    private static IKernel Create(KernelBuildContext node)
    {
        var type = node.InputElementType(0);
        var perm = node.GetInts("perm");
        var shape = node.InputShape(0);
        node.SetOutput(0, type, perm is not null && shape is not null && perm.Length == shape.Count && perm.All(p => p >= 0 && p < shape.Count)
            ? [.. perm.Select(p => shape[(int)p])]
            : null);
        return TypeDispatch.Any<Factory, IKernel>(type, new Factory(perm));
    }

    private readonly struct Factory(long[]? perm) : IAnyFactory<IKernel>
    {
        public IKernel Create<T>() => new Kernel<T>(perm);
    }

    private sealed class Kernel<T>(long[]? permAttribute) : IKernel
    {
        public void Run(KernelContext context)
        {
            var x = context.Input<T>(0);
            var rank = x.Rank;
            var perm = new int[rank];
            if (permAttribute is null)
            {
                for (var i = 0; i < rank; i++)
                {
                    perm[i] = rank - 1 - i;
                }
            }
            else
            {
                if (permAttribute.Length != rank)
                {
                    throw context.Fail($"perm has {permAttribute.Length} entries for a tensor of rank {rank}");
                }

                var seen = new bool[rank];
                for (var i = 0; i < rank; i++)
                {
                    var p = permAttribute[i];
                    if (p < 0 || p >= rank || seen[p])
                    {
                        throw context.Fail($"perm [{string.Join(',', permAttribute)}] is not a permutation of 0..{rank - 1}");
                    }

                    seen[p] = true;
                    perm[i] = (int)p;
                }
            }

            var y = context.Output<T>(0, Transposer.PermutedShape(x.Shape, perm));
            Transposer.Permute<T>(x.Span, x.Shape, perm, y.Span);
        }
    }
}
