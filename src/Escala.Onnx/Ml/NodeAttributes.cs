using Escala.Onnx.Execution;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Ml;

/// <summary>Attribute readers the ai.onnx.ml factories share: lists that may come as FLOATS or as a TENSOR.</summary>
internal static class NodeAttributes
{
    /// <summary>A FLOATS attribute widened to double, or null when absent.</summary>
    public static double[]? GetDoubles(this KernelBuildContext node, string name) =>
        node.GetFloats(name) is { } floats ? [.. floats.Select(f => (double)f)] : null;

    /// <summary>
    /// The values of a numeric TENSOR attribute widened to double (with its element type), or null when absent.
    /// Used for the <c>*_as_tensor</c> attributes and TreeEnsemble's tensors.
    /// </summary>
    public static (double[] Values, ElementType Type)? GetTensorDoubles(this KernelBuildContext node, string name)
    {
        if (node.GetTensor(name) is not { } tensor)
        {
            return null;
        }

        double[] values = tensor switch
        {
            OnnxTensor<double> d => d.ToArray(),
            OnnxTensor<float> f => [.. f.ToArray().Select(v => (double)v)],
            OnnxTensor<Half> h => [.. h.ToArray().Select(v => (double)v)],
            OnnxTensor<long> l => [.. l.ToArray().Select(v => (double)v)],
            OnnxTensor<int> i => [.. i.ToArray().Select(v => (double)v)],
            OnnxTensor<byte> b => [.. b.ToArray().Select(v => (double)v)],
            _ => throw node.Fail($"attribute '{name}' is {tensor}; expected a numeric tensor"),
        };
        return (values, tensor.ElementType);
    }

    /// <summary>A list given either as FLOATS (<paramref name="name"/>) or as a double tensor (<paramref name="tensorName"/>), never both.</summary>
    public static (double[]? Values, bool IsDouble) GetFloatsOrTensor(this KernelBuildContext node, string name, string tensorName)
    {
        var floats = node.GetDoubles(name);
        var tensor = node.GetTensorDoubles(tensorName);
        if (floats is not null && tensor is not null)
        {
            throw node.Fail($"attributes '{name}' and '{tensorName}' are both set; a model sets one of them");
        }

        return tensor is { } t ? (t.Values, t.Type == ElementType.Double) : (floats, false);
    }

    /// <summary>An INTS attribute, or an empty array when absent.</summary>
    public static long[] GetIntsOrEmpty(this KernelBuildContext node, string name) => node.GetInts(name) ?? [];
}
