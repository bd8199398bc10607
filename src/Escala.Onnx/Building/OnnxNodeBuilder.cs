using System.Text;
using Escala.Onnx.Protobuf;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Building;

/// <summary>Adds attributes of every kind to a node being built.</summary>
public sealed class OnnxNodeBuilder
{
    internal OnnxNodeBuilder(NodeProto node) => Node = node;

    /// <summary>The node as it will be written.</summary>
    public NodeProto Node { get; }

    /// <summary>An INT attribute.</summary>
    public OnnxNodeBuilder Int(string name, long value) => Add(new AttributeProto { Name = name, Type = AttributeType.Int, I = value });

    /// <summary>A FLOAT attribute.</summary>
    public OnnxNodeBuilder Float(string name, float value) => Add(new AttributeProto { Name = name, Type = AttributeType.Float, F = value });

    /// <summary>A STRING attribute (stored as UTF-8).</summary>
    public OnnxNodeBuilder String(string name, string value) =>
        Add(new AttributeProto { Name = name, Type = AttributeType.String, S = Encoding.UTF8.GetBytes(value) });

    /// <summary>An INTS attribute.</summary>
    public OnnxNodeBuilder Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeType.Ints };
        a.Ints.AddRange(values);
        return Add(a);
    }

    /// <summary>A FLOATS attribute.</summary>
    public OnnxNodeBuilder Floats(string name, params float[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeType.Floats };
        a.Floats.AddRange(values);
        return Add(a);
    }

    /// <summary>A STRINGS attribute.</summary>
    public OnnxNodeBuilder Strings(string name, params string[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeType.Strings };
        a.Strings.AddRange(values.Select(v => Encoding.UTF8.GetBytes(v)));
        return Add(a);
    }

    /// <summary>A TENSOR attribute.</summary>
    public OnnxNodeBuilder Tensor(string name, OnnxTensor value) =>
        Add(new AttributeProto { Name = name, Type = AttributeType.Tensor, T = TensorProtoConverter.FromTensor(value) });

    /// <summary>A TENSORS attribute.</summary>
    public OnnxNodeBuilder Tensors(string name, params OnnxTensor[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeType.Tensors };
        a.Tensors.AddRange(values.Select(v => TensorProtoConverter.FromTensor(v)));
        return Add(a);
    }

    /// <summary>A GRAPH attribute (a subgraph, e.g. for If or Loop).</summary>
    public OnnxNodeBuilder Graph(string name, GraphProto value) => Add(new AttributeProto { Name = name, Type = AttributeType.Graph, G = value });

    /// <summary>A GRAPHS attribute.</summary>
    public OnnxNodeBuilder Graphs(string name, params GraphProto[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeType.Graphs };
        a.Graphs.AddRange(values);
        return Add(a);
    }

    /// <summary>A TYPE_PROTO attribute.</summary>
    public OnnxNodeBuilder Type(string name, OnnxTypeInfo value) =>
        Add(new AttributeProto { Name = name, Type = AttributeType.TypeProto, Tp = ToTypeProto(value) });

    /// <summary>Any attribute as stored.</summary>
    public OnnxNodeBuilder Add(AttributeProto attribute)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        Node.Attribute.Add(attribute);
        return this;
    }

    private static TypeProto ToTypeProto(OnnxTypeInfo value) => Onnx.Graph.TypeProtoConverter.ToProto(value);
}
