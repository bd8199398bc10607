using System.Text;
using Escala.Onnx.Protobuf;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Explaining;

/// <summary>Reads a node's attributes straight from its proto (the explainers look at the scoring node, not a kernel).</summary>
internal sealed class NodeAttributeReader(NodeProto node)
{
    private AttributeProto? Find(string name) => node.Attribute.Find(a => a.Name == name);

    public long Int(string name, long fallback) => Find(name) is { } a ? a.I : fallback;

    public float Float(string name, float fallback) => Find(name) is { } a ? a.F : fallback;

    public string String(string name, string fallback) => Find(name) is { S: { } s } ? Encoding.UTF8.GetString(s) : fallback;

    public long[] Ints(string name) => Find(name) is { } a ? [.. a.Ints] : [];

    public string[] Strings(string name) => Find(name) is { } a ? [.. a.Strings.Select(s => Encoding.UTF8.GetString(s))] : [];

    public double[]? Floats(string name) => Find(name) is { } a && a.Floats.Count > 0 ? [.. a.Floats.Select(f => (double)f)] : null;

    /// <summary>A FLOATS attribute or its <c>*_as_tensor</c> twin, widened to double; whether it was given in double.</summary>
    public (double[]? Values, bool IsDouble) FloatsOrTensor(string name, string tensorName)
    {
        if (Find(tensorName) is { T: { } proto })
        {
            var (values, type) = TensorDoubles(proto);
            return (values, type == ElementType.Double);
        }

        return (Floats(name), false);
    }

    /// <summary>A numeric TENSOR attribute widened to double, or null.</summary>
    public (double[] Values, ElementType Type)? Tensor(string name) =>
        Find(name) is { T: { } proto } ? TensorDoubles(proto) : null;

    private static (double[] Values, ElementType Type) TensorDoubles(TensorProto proto)
    {
        var tensor = TensorProtoConverter.ToTensor(proto);
        double[] values = tensor switch
        {
            OnnxTensor<double> d => d.ToArray(),
            OnnxTensor<float> f => [.. f.ToArray().Select(v => (double)v)],
            OnnxTensor<long> l => [.. l.ToArray().Select(v => (double)v)],
            OnnxTensor<int> i => [.. i.ToArray().Select(v => (double)v)],
            OnnxTensor<byte> b => [.. b.ToArray().Select(v => (double)v)],
            _ => throw new FormatException($"A tensor attribute of type {tensor} is not numeric."),
        };
        return (values, tensor.ElementType);
    }
}
