using Escala.Onnx.Execution;
using Escala.Onnx.Operators.Broadcasting;
using Escala.Onnx.Operators.Dispatch;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Operators.Manipulation;

/// <summary>Where: picks X where the condition holds, else Y, with three-way broadcasting.</summary>
internal static class WhereOperator
{
    public static void Register(KernelRegistry registry) => registry.Add(OpsetDomains.Default, "Where", 9, Create);

    private static IKernel Create(KernelBuildContext node)
    {
        node.RequireType(0, [ElementType.Bool]);
        var type = node.InputElementType(1);
        node.RequireSameType(1, 2);
        node.SetOutput(0, type, ShapeInference.Broadcast([node.InputShape(0), node.InputShape(1), node.InputShape(2)]));
        return TypeDispatch.Any<Factory, IKernel>(type, default);
    }

    private readonly struct Factory : IAnyFactory<IKernel>
    {
        public IKernel Create<T>() => new Kernel<T>();
    }

    private sealed class Kernel<T> : IKernel
    {
        public void Run(KernelContext context)
        {
            var c = context.Input<bool>(0);
            var x = context.Input<T>(1);
            var y = context.Input<T>(2);
            var plan = BroadcastPlan.Create(c.Shape, x.Shape, y.Shape);
            var result = context.Output<T>(0, plan.OutputShape);
            var n = plan.InnerLength;
            var (sc, sx, sy) = (plan.InnerStrides[0], plan.InnerStrides[1], plan.InnerStrides[2]);
            var cs = c.Span;
            var xs = x.Span;
            var ys = y.Span;
            var dst = result.Span;
            for (var o = 0; o < plan.OuterCount; o++)
            {
                int oc = plan.Offset(0, o), ox = plan.Offset(1, o), oy = plan.Offset(2, o), od = o * n;
                for (var j = 0; j < n; j++)
                {
                    dst[od + j] = cs[oc + (j * sc)] ? xs[ox + (j * sx)] : ys[oy + (j * sy)];
                }
            }
        }
    }
}
