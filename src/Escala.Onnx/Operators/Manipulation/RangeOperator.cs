using System.Numerics;
using Escala.Onnx.Execution;
using Escala.Onnx.Operators.Dispatch;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Operators.Manipulation;

/// <summary>Range: start, start + delta, ... up to limit (exclusive), as numpy arange.</summary>
internal static class RangeOperator
{
    public static void Register(KernelRegistry registry) => registry.Add(OpsetDomains.Default, "Range", 11, Create);

    private static IKernel Create(KernelBuildContext node)
    {
        var type = node.RequireType(0, [ElementType.Float, ElementType.Double, ElementType.Float16, ElementType.Int16, ElementType.Int32, ElementType.Int64]);
        node.RequireSameType(0, 1);
        node.RequireSameType(0, 2);
        node.SetOutput(0, type, [OnnxDim.Unknown]);
        if (node.ConstantInput(0) is { Length: 1 } start && node.ConstantInput(1) is { Length: 1 } limit && node.ConstantInput(2) is { Length: 1 } delta)
        {
            var d = Scalar(delta);
            var count = d == 0 ? 0 : Math.Ceiling((Scalar(limit) - Scalar(start)) / d);
            if (count > 0)
            {
                node.RequireWithinBudget($"the range of {count} elements", count > long.MaxValue ? long.MaxValue : (long)count, Math.Max(1, ElementTypes.Size(type)));
            }
        }

        return TypeDispatch.Numeric<Factory, IKernel>(type, default);
    }

    private static double Scalar(OnnxTensor t) => t switch
    {
        OnnxTensor<float> f => f.Span[0],
        OnnxTensor<double> f => f.Span[0],
        OnnxTensor<Half> f => (double)f.Span[0],
        OnnxTensor<short> f => f.Span[0],
        OnnxTensor<int> f => f.Span[0],
        OnnxTensor<long> f => f.Span[0],
        _ => 0,
    };

    private readonly struct Factory : INumericFactory<IKernel>
    {
        public IKernel Create<T>()
            where T : unmanaged, INumber<T> => new Kernel<T>();
    }

    private sealed class Kernel<T> : IKernel
        where T : INumber<T>
    {
        public void Run(KernelContext context)
        {
            var start = Scalar(context, 0);
            var limit = Scalar(context, 1);
            var delta = Scalar(context, 2);
            if (T.IsZero(delta))
            {
                throw context.Fail("delta is 0");
            }

            var steps = Math.Ceiling((double.CreateTruncating(limit) - double.CreateTruncating(start)) / double.CreateTruncating(delta));
            var count = double.IsNaN(steps) ? 0 : Math.Max(0, steps);
            if (count > TensorShape.MaxElements)
            {
                throw context.Fail($"the range has {count} elements, more than a tensor can hold");
            }

            var y = context.Output<T>(0, [(int)count]);
            var dst = y.Span;
            for (var i = 0; i < dst.Length; i++)
            {
                dst[i] = start + (T.CreateTruncating(i) * delta);
            }
        }

        private static T Scalar(KernelContext context, int index)
        {
            var t = context.Input<T>(index);
            if (t.Length != 1)
            {
                throw context.Fail($"input {index} must be a scalar, it has shape [{TensorShape.Format(t.Shape)}]");
            }

            return t.Span[0];
        }
    }
}
