using Escala.Onnx.Execution;
using Escala.Onnx.Operators.Dispatch;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Operators.Manipulation;

/// <summary>Reshape, Flatten, Squeeze and Unsqueeze: new shapes over the same memory (no copy).</summary>
internal static class ReshapeOperators
{
    public static void Register(KernelRegistry registry)
    {
        registry.Add(OpsetDomains.Default, "Reshape", 5, CreateReshape);
        registry.Add(OpsetDomains.Default, "Flatten", 1, CreateFlatten);
        registry.Add(OpsetDomains.Default, "Squeeze", 1, CreateSqueeze);
        registry.Add(OpsetDomains.Default, "Unsqueeze", 1, CreateUnsqueeze);
    }

    private static IKernel CreateReshape(KernelBuildContext node)
    {
        var type = node.InputElementType(0);
        node.RequireType(1, [ElementType.Int64]);
        var allowZero = node.GetInt("allowzero", 0) != 0;
        OnnxDim[]? dims = null;
        if (node.ConstantInput(1) is { } shape)
        {
            dims = [.. IndexValues.Read(shape).Select(v => v > 0 ? new OnnxDim(v) : OnnxDim.Unknown)];
        }

        node.SetOutput(0, type, dims);
        return new ViewKernel((context, x) =>
        {
            var requested = IndexValues.Read(context.InputTensor(1));
            return Reshape(x.Shape, requested, allowZero);
        });
    }

    /// <summary>The Reshape rule: 0 copies the input dim (unless allowzero), -1 is inferred from the rest.</summary>
    public static int[] Reshape(ReadOnlySpan<int> input, ReadOnlySpan<long> requested, bool allowZero)
    {
        var shape = new int[requested.Length];
        var inferred = -1;
        long known = 1;
        for (var i = 0; i < shape.Length; i++)
        {
            var r = requested[i];
            if (r == -1)
            {
                if (inferred >= 0)
                {
                    throw new ArgumentException("the shape has more than one -1");
                }

                inferred = i;
                continue;
            }

            if (r == 0 && !allowZero)
            {
                if (i >= input.Length)
                {
                    throw new ArgumentException($"shape entry {i} is 0 (copy) but the input has rank {input.Length}");
                }

                r = input[i];
            }

            if (r < 0 || r > TensorShape.MaxElements)
            {
                throw new ArgumentException($"shape entry {i} is {requested[i]}");
            }

            shape[i] = (int)r;
            known *= r;
            if (known > TensorShape.MaxElements)
            {
                throw new ArgumentException($"shape [{string.Join(',', requested.ToArray())}] has more elements than a tensor can hold");
            }
        }

        var length = TensorShape.Size(input);
        if (inferred >= 0)
        {
            if (known == 0 || length % known != 0)
            {
                throw new ArgumentException($"cannot infer the -1 in [{string.Join(',', requested.ToArray())}] for {length} elements");
            }

            shape[inferred] = (int)(length / known);
            known *= shape[inferred];
        }

        if (known != length)
        {
            throw new ArgumentException($"cannot reshape [{TensorShape.Format(input)}] ({length} elements) to [{string.Join(',', requested.ToArray())}]");
        }

        return shape;
    }

    private static IKernel CreateFlatten(KernelBuildContext node)
    {
        var type = node.InputElementType(0);
        var axis = node.GetInt("axis", 1);
        node.SetOutput(0, type, [OnnxDim.Unknown, OnnxDim.Unknown]);
        return new ViewKernel((_, x) =>
        {
            var rank = x.Rank;
            if (axis < -rank || axis > rank)
            {
                throw new ArgumentException($"axis {axis} is out of range for rank {rank}");
            }

            var a = (int)(axis < 0 ? axis + rank : axis);
            return [TensorShape.Product(x.Shape, 0, a), TensorShape.Product(x.Shape, a, rank)];
        });
    }

    private static IKernel CreateSqueeze(KernelBuildContext node)
    {
        var type = node.InputElementType(0);
        node.SetOutput(0, type);
        var opset = node.Opset;
        var fromAttribute = opset < 13 ? node.GetInts("axes") : null;
        return new ViewKernel((context, x) =>
        {
            var axesValues = opset < 13 ? fromAttribute : context.HasInput(1) ? IndexValues.Read(context.InputTensor(1)) : null;
            var shape = x.Shape;
            if (axesValues is null || axesValues.Length == 0)
            {
                return [.. shape.ToArray().Where(d => d != 1)];
            }

            var axes = IndexValues.Axes(axesValues, shape.Length);
            var result = new List<int>(shape.Length);
            for (var i = 0; i < shape.Length; i++)
            {
                if (Array.IndexOf(axes, i) >= 0)
                {
                    if (shape[i] != 1)
                    {
                        throw new ArgumentException($"cannot squeeze axis {i} of size {shape[i]}");
                    }

                    continue;
                }

                result.Add(shape[i]);
            }

            return [.. result];
        });
    }

    private static IKernel CreateUnsqueeze(KernelBuildContext node)
    {
        var type = node.InputElementType(0);
        node.SetOutput(0, type);
        var fromAttribute = node.Opset < 13 ? node.GetInts("axes") ?? throw node.Fail("required attribute 'axes' is missing") : null;
        return new ViewKernel((context, x) =>
        {
            var axesValues = fromAttribute ?? IndexValues.Read(context.InputTensor(1));
            var rank = x.Rank + axesValues.Length;
            var axes = IndexValues.Axes(axesValues, rank);
            var result = new int[rank];
            var src = 0;
            for (var i = 0; i < rank; i++)
            {
                result[i] = Array.IndexOf(axes, i) >= 0 ? 1 : x.Shape[src++];
            }

            return result;
        });
    }

    /// <summary>Outputs input 0 under a new shape computed per call (same memory).</summary>
    private sealed class ViewKernel(Func<KernelContext, OnnxTensor, int[]> shapeOf) : IKernel
    {
        public void Run(KernelContext context)
        {
            var x = context.InputTensor(0);
            context.SetOutput(0, x.Reshape(shapeOf(context, x)));
        }
    }
}
