using System.Numerics;
using Escala.Onnx.Execution;

namespace Escala.Onnx.Ml.Preprocessing;

/// <summary>
/// Binarizer: 1 where the element is greater than <c>threshold</c>, else 0, same type and shape. NaN is not greater
/// than anything, so it maps to 0 (the ONNX reference implementation's answer; ONNX Runtime rejects NaN instead).
/// </summary>
internal static class BinarizerOperator
{
    public static void Register(KernelRegistry registry) => registry.Add(OpsetDomains.Ml, "Binarizer", 1, Create);

    private static IKernel Create(KernelBuildContext node)
    {
        var type = node.RequireType(0, FeatureInput.NumericTypes);
        var threshold = (double)node.GetFloat("threshold", 0f);
        node.SetOutput(0, type, node.InputShape(0));
        return type switch
        {
            Tensors.ElementType.Float => new BinarizerKernel<float>(threshold),
            Tensors.ElementType.Double => new BinarizerKernel<double>(threshold),
            Tensors.ElementType.Int64 => new BinarizerKernel<long>(threshold),
            _ => new BinarizerKernel<int>(threshold),
        };
    }
}

/// <summary>Thresholds each element (compared in double, exact for every input type).</summary>
internal sealed class BinarizerKernel<T>(double threshold) : IKernel
    where T : unmanaged, INumber<T>
{
    public void Run(KernelContext context)
    {
        var x = context.Input<T>(0);
        var src = x.Span;
        var y = context.Output<T>(0, x.ShapeArray()).Span;
        for (var i = 0; i < src.Length; i++)
        {
            y[i] = double.CreateChecked(src[i]) > threshold ? T.One : T.Zero;
        }
    }
}
