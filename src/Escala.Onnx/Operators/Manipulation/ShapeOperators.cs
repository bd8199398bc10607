using Escala.Onnx.Execution;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Operators.Manipulation;

/// <summary>Shape (with the opset 15 start/end window) and Size.</summary>
internal static class ShapeOperators
{
    public static void Register(KernelRegistry registry)
    {
        registry.Add(OpsetDomains.Default, "Shape", 1, CreateShape);
        registry.Add(OpsetDomains.Default, "Size", 1, CreateSize);
    }

    private static IKernel CreateShape(KernelBuildContext node)
    {
        _ = node.InputType(0);
        var start = node.GetInt("start", 0);
        var end = node.HasAttribute("end") ? node.GetInt("end") : (long?)null;
        node.SetOutput(0, ElementType.Int64, [OnnxDim.Unknown]);
        return new ShapeKernel(start, end);
    }

    private static IKernel CreateSize(KernelBuildContext node)
    {
        _ = node.InputType(0);
        node.SetOutput(0, ElementType.Int64, []);
        return new SizeKernel();
    }

    private sealed class ShapeKernel(long start, long? end) : IKernel
    {
        public void Run(KernelContext context)
        {
            var x = context.InputTensor(0);
            var rank = x.Rank;
            var s = Math.Clamp(start < 0 ? start + rank : start, 0, rank);
            var e = Math.Clamp(end is { } v ? (v < 0 ? v + rank : v) : rank, 0, rank);
            var count = (int)Math.Max(0, e - s);
            var y = context.Output<long>(0, [count]);
            for (var i = 0; i < count; i++)
            {
                y[i] = x.Shape[(int)s + i];
            }
        }
    }

    private sealed class SizeKernel : IKernel
    {
        public void Run(KernelContext context) => context.Output<long>(0, [])[0] = context.InputTensor(0).Length;
    }
}
