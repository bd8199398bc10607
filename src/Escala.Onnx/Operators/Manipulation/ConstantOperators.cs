using Escala.Onnx.Execution;
using Escala.Onnx.Operators.Dispatch;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Operators.Manipulation;

/// <summary>Constant (a value from attributes; folded at compile time) and ConstantOfShape (a filled tensor).</summary>
internal static class ConstantOperators
{
    public static void Register(KernelRegistry registry)
    {
        registry.Add(OpsetDomains.Default, "Constant", 1, CreateConstant);
        registry.Add(OpsetDomains.Default, "ConstantOfShape", 9, CreateConstantOfShape);
    }

    private static IKernel CreateConstant(KernelBuildContext node)
    {
        var value = ConstantValue(node);
        node.SetOutput(0, value.ElementType, TensorShape.ToDims(value.Shape));
        return new ValueKernel(value);
    }

    private static OnnxTensor ConstantValue(KernelBuildContext node)
    {
        if (node.HasAttribute("sparse_value"))
        {
            throw node.Fail("sparse_value constants are not supported");
        }

        if (node.GetTensor("value") is { } tensor)
        {
            return tensor;
        }

        if (node.HasAttribute("value_float"))
        {
            return OnnxTensor<float>.Scalar(node.GetFloat("value_float"));
        }

        if (node.GetFloats("value_floats") is { } floats)
        {
            return new OnnxTensor<float>(floats, floats.Length);
        }

        if (node.HasAttribute("value_int"))
        {
            return OnnxTensor<long>.Scalar(node.GetInt("value_int"));
        }

        if (node.GetInts("value_ints") is { } ints)
        {
            return new OnnxTensor<long>(ints, ints.Length);
        }

        if (node.HasAttribute("value_string"))
        {
            return OnnxTensor<string>.Scalar(node.GetString("value_string"));
        }

        if (node.GetStrings("value_strings") is { } strings)
        {
            return new OnnxTensor<string>(strings, strings.Length);
        }

        throw node.Fail("Constant has no value attribute");
    }

    private static IKernel CreateConstantOfShape(KernelBuildContext node)
    {
        node.RequireType(0, [ElementType.Int64]);
        var value = node.GetTensor("value") ?? OnnxTensor<float>.Scalar(0f);
        if (value.Length != 1)
        {
            throw node.Fail($"attribute 'value' must hold one element, it holds {value.Length}");
        }

        // A shape known at compile time is declared, so an output too large for one run is refused at load.
        var shape = node.ConstantInput(0) is OnnxTensor<long> dims && dims.Span.ToArray().All(d => d >= 0)
            ? dims.Span.ToArray().Select(d => new OnnxDim(d)).ToArray()
            : null;
        node.SetOutput(0, value.ElementType, shape);
        return TypeDispatch.Any<FillFactory, IKernel>(value.ElementType, new FillFactory(value));
    }

    private readonly struct FillFactory(OnnxTensor value) : IAnyFactory<IKernel>
    {
        public IKernel Create<T>() => new FillKernel<T>(((OnnxTensor<T>)value).Span[0]);
    }

    private sealed class FillKernel<T>(T value) : IKernel
    {
        public void Run(KernelContext context)
        {
            var shape = IndexValues.ToDims(IndexValues.Read(context.InputTensor(0)), "shape");
            context.Output<T>(0, shape).Span.Fill(value);
        }
    }

    /// <summary>Outputs a fixed value (a view; the executor copies it when it is a graph output).</summary>
    private sealed class ValueKernel(OnnxTensor value) : IKernel
    {
        public void Run(KernelContext context) => context.SetOutput(0, value);
    }
}
