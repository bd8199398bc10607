using Escala.Onnx.Execution;
using Escala.Onnx.Operators.Broadcasting;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Operators.Elementwise;

/// <summary>And, Or, Xor (bool with broadcasting) and Not.</summary>
internal static class LogicalOperators
{
    private static readonly ElementType[] Bool = [ElementType.Bool];

    public static void Register(KernelRegistry registry)
    {
        registry.Add(OpsetDomains.Default, "And", 7, Create<AndOp>);
        registry.Add(OpsetDomains.Default, "Or", 7, Create<OrOp>);
        registry.Add(OpsetDomains.Default, "Xor", 7, Create<XorOp>);
        registry.Add(OpsetDomains.Default, "Not", 1, CreateNot);
    }

    private static IKernel Create<TOp>(KernelBuildContext node)
        where TOp : IBinarySpanOp<bool, bool, bool>
    {
        node.RequireType(0, Bool);
        node.RequireType(1, Bool);
        node.SetOutput(0, ElementType.Bool, ShapeInference.Broadcast(node.InputShape(0), node.InputShape(1)));
        return new BinaryKernel<bool, bool, bool, TOp>();
    }

    private static IKernel CreateNot(KernelBuildContext node)
    {
        node.RequireType(0, Bool);
        node.SetOutput(0, ElementType.Bool, node.InputShape(0));
        return new NotKernel();
    }

    private sealed class NotKernel : IKernel
    {
        public void Run(KernelContext context)
        {
            var x = context.Input<bool>(0);
            var y = context.Output<bool>(0, x.ShapeRef);
            var src = x.Span;
            var dst = y.Span;
            for (var i = 0; i < dst.Length; i++)
            {
                dst[i] = !src[i];
            }
        }
    }

    private readonly struct AndOp : IBinarySpanOp<bool, bool, bool>
    {
        public static bool Scalar(bool a, bool b) => a & b;

        public static void VectorVector(ReadOnlySpan<bool> a, ReadOnlySpan<bool> b, Span<bool> d)
        {
            for (var i = 0; i < d.Length; i++)
            {
                d[i] = a[i] & b[i];
            }
        }

        public static void VectorScalar(ReadOnlySpan<bool> a, bool b, Span<bool> d)
        {
            for (var i = 0; i < d.Length; i++)
            {
                d[i] = a[i] & b;
            }
        }

        public static void ScalarVector(bool a, ReadOnlySpan<bool> b, Span<bool> d) => VectorScalar(b, a, d);
    }

    private readonly struct OrOp : IBinarySpanOp<bool, bool, bool>
    {
        public static bool Scalar(bool a, bool b) => a | b;

        public static void VectorVector(ReadOnlySpan<bool> a, ReadOnlySpan<bool> b, Span<bool> d)
        {
            for (var i = 0; i < d.Length; i++)
            {
                d[i] = a[i] | b[i];
            }
        }

        public static void VectorScalar(ReadOnlySpan<bool> a, bool b, Span<bool> d)
        {
            for (var i = 0; i < d.Length; i++)
            {
                d[i] = a[i] | b;
            }
        }

        public static void ScalarVector(bool a, ReadOnlySpan<bool> b, Span<bool> d) => VectorScalar(b, a, d);
    }

    private readonly struct XorOp : IBinarySpanOp<bool, bool, bool>
    {
        public static bool Scalar(bool a, bool b) => a ^ b;

        public static void VectorVector(ReadOnlySpan<bool> a, ReadOnlySpan<bool> b, Span<bool> d)
        {
            for (var i = 0; i < d.Length; i++)
            {
                d[i] = a[i] ^ b[i];
            }
        }

        public static void VectorScalar(ReadOnlySpan<bool> a, bool b, Span<bool> d)
        {
            for (var i = 0; i < d.Length; i++)
            {
                d[i] = a[i] ^ b;
            }
        }

        public static void ScalarVector(bool a, ReadOnlySpan<bool> b, Span<bool> d) => VectorScalar(b, a, d);
    }
}
