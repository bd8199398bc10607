using System.Numerics;
using Escala.Onnx.Execution;
using Escala.Onnx.Operators.Dispatch;

namespace Escala.Onnx.Operators.Elementwise;

/// <summary>Clip: min/max attributes before opset 11, optional scalar inputs after; when min &gt; max every value becomes max.</summary>
internal static class ClipOperator
{
    public static void Register(KernelRegistry registry) => registry.Add(OpsetDomains.Default, "Clip", 6, Create);

    private static IKernel Create(KernelBuildContext node)
    {
        var type = node.RequireType(0, node.Opset < 12 ? TypeDispatch.FloatTypes : TypeDispatch.NumericTypes);
        for (var i = 1; i < 3; i++)
        {
            if (node.HasInput(i))
            {
                node.RequireSameType(0, i);
            }
        }

        node.SetOutput(0, type, node.InputShape(0));
        float? min = node.Opset < 11 ? node.GetFloat("min", float.MinValue) : null;
        float? max = node.Opset < 11 ? node.GetFloat("max", float.MaxValue) : null;
        return TypeDispatch.Numeric<Factory, IKernel>(type, new Factory(min, max));
    }

    private readonly struct Factory(float? min, float? max) : INumericFactory<IKernel>
    {
        public IKernel Create<T>()
            where T : unmanaged, INumber<T> =>
            new Kernel<T>(min is { } a ? T.CreateSaturating(a) : null, max is { } b ? T.CreateSaturating(b) : null);
    }

    private sealed class Kernel<T>(T? minAttribute, T? maxAttribute) : IKernel
        where T : struct, INumber<T>
    {
        public void Run(KernelContext context)
        {
            var x = context.Input<T>(0);
            var min = minAttribute ?? Bound(context, 1);
            var max = maxAttribute ?? Bound(context, 2);
            var y = context.Output<T>(0, x.ShapeRef);
            var src = x.Span;
            var dst = y.Span;
            for (var i = 0; i < dst.Length; i++)
            {
                var v = src[i];
                if (min is { } lo && v < lo)
                {
                    v = lo;
                }

                if (max is { } hi && v > hi)
                {
                    v = hi;
                }

                dst[i] = v;
            }
        }

        private static T? Bound(KernelContext context, int index)
        {
            if (!context.HasInput(index))
            {
                return null;
            }

            var t = context.Input<T>(index);
            if (t.Length != 1)
            {
                throw context.Fail($"input {index} must be a scalar");
            }

            return t.Span[0];
        }
    }
}
