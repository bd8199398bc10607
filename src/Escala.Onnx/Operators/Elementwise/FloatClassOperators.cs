using System.Numerics;
using Escala.Onnx.Execution;
using Escala.Onnx.Operators.Dispatch;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Operators.Elementwise;

/// <summary>IsNaN and IsInf (with detect_negative / detect_positive): float to bool.</summary>
internal static class FloatClassOperators
{
    public static void Register(KernelRegistry registry)
    {
        registry.Add(OpsetDomains.Default, "IsNaN", 9, node => Create(node, nan: true, negative: false, positive: false));
        registry.Add(OpsetDomains.Default, "IsInf", 10, node => Create(node, nan: false, node.GetInt("detect_negative", 1) != 0, node.GetInt("detect_positive", 1) != 0));
    }

    private static IKernel Create(KernelBuildContext node, bool nan, bool negative, bool positive)
    {
        var type = node.RequireType(0, TypeDispatch.FloatTypes);
        node.SetOutput(0, ElementType.Bool, node.InputShape(0));
        return TypeDispatch.Float<Factory, IKernel>(type, new Factory(nan, negative, positive));
    }

    private readonly struct Factory(bool nan, bool negative, bool positive) : IFloatFactory<IKernel>
    {
        public IKernel Create<T>()
            where T : unmanaged, IFloatingPointIeee754<T> => new Kernel<T>(nan, negative, positive);
    }

    private sealed class Kernel<T>(bool nan, bool negative, bool positive) : IKernel
        where T : IFloatingPointIeee754<T>
    {
        public void Run(KernelContext context)
        {
            var x = context.Input<T>(0);
            var y = context.Output<bool>(0, x.ShapeRef);
            var src = x.Span;
            var dst = y.Span;
            for (var i = 0; i < dst.Length; i++)
            {
                var v = src[i];
                dst[i] = nan ? T.IsNaN(v) : (negative && T.IsNegativeInfinity(v)) || (positive && T.IsPositiveInfinity(v));
            }
        }
    }
}
