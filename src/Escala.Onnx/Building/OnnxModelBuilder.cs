using Escala.Onnx.Graph;
using Escala.Onnx.Protobuf;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Building;

/// <summary>
/// Builds a real ONNX model in code (graph inputs and outputs, initializers, nodes with attributes,
/// opset imports), for tests, the demo and trainers that export models. The result is an ordinary
/// <see cref="ModelProto"/> that any ONNX runtime reads.
/// </summary>
public sealed class OnnxModelBuilder
{
    private readonly ModelProto _model = new() { ProducerName = "escala" };
    private readonly GraphProto _graph;
    private long? _irVersion;
    private int _nodeCount;

    /// <summary>An empty model whose graph has the given name.</summary>
    public OnnxModelBuilder(string graphName = "main")
    {
        _graph = new GraphProto { Name = graphName };
        _model.Graph = _graph;
    }

    /// <summary>Imports <paramref name="domain"/> (empty for the default domain) at <paramref name="version"/>; a second call replaces it.</summary>
    public OnnxModelBuilder Opset(string domain, long version)
    {
        var normalized = OpsetDomains.Normalize(domain);
        _model.OpsetImport.RemoveAll(o => OpsetDomains.Normalize(o.Domain) == normalized);
        _model.OpsetImport.Add(new OperatorSetIdProto { Domain = normalized, Version = version });
        return this;
    }

    /// <summary>Sets the producer name and version.</summary>
    public OnnxModelBuilder Producer(string name, string version = "")
    {
        _model.ProducerName = name;
        _model.ProducerVersion = version;
        return this;
    }

    /// <summary>Sets the IR version (by default derived from the default-domain opset).</summary>
    public OnnxModelBuilder IrVersion(long version)
    {
        _irVersion = version;
        return this;
    }

    /// <summary>Adds a metadata property.</summary>
    public OnnxModelBuilder Metadata(string key, string value)
    {
        _model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return this;
    }

    /// <summary>Sets the model's documentation string.</summary>
    public OnnxModelBuilder Doc(string text)
    {
        _model.DocString = text;
        return this;
    }

    /// <summary>Adds a tensor input; dims are sizes, symbolic names (e.g. "N") or null for unknown.</summary>
    public OnnxModelBuilder Input(string name, ElementType type, params OnnxDim[] dims) => Input(name, OnnxTypeInfo.Tensor(type, dims));

    /// <summary>Adds an input of any type.</summary>
    public OnnxModelBuilder Input(string name, OnnxTypeInfo type)
    {
        _graph.Input.Add(new ValueInfoProto { Name = name, Type = TypeProtoConverter.ToProto(type) });
        return this;
    }

    /// <summary>Adds a tensor output.</summary>
    public OnnxModelBuilder Output(string name, ElementType type, params OnnxDim[] dims) => Output(name, OnnxTypeInfo.Tensor(type, dims));

    /// <summary>Adds an output of any type (<see cref="OnnxTypeInfo.Unknown"/> leaves it undeclared).</summary>
    public OnnxModelBuilder Output(string name, OnnxTypeInfo type)
    {
        _graph.Output.Add(new ValueInfoProto { Name = name, Type = type.Kind == OnnxTypeKind.Unknown ? null : TypeProtoConverter.ToProto(type) });
        return this;
    }

    /// <summary>Adds a constant tensor (weights).</summary>
    public OnnxModelBuilder Initializer(string name, OnnxTensor value)
    {
        _graph.Initializer.Add(TensorProtoConverter.FromTensor(value, name));
        return this;
    }

    /// <summary>Adds a constant tensor from an array and a shape.</summary>
    public OnnxModelBuilder Initializer<T>(string name, T[] data, params int[] shape) => Initializer(name, new OnnxTensor<T>(data, shape));

    /// <summary>Adds a node; <paramref name="attributes"/> adds its attributes. An empty input name omits an optional input.</summary>
    public OnnxModelBuilder Node(
        string opType, string[] inputs, string[] outputs, Action<OnnxNodeBuilder>? attributes = null, string domain = "", string? name = null)
    {
        var node = new NodeProto { OpType = opType, Domain = OpsetDomains.Normalize(domain), Name = name ?? $"{opType}_{_nodeCount}" };
        _nodeCount++;
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        attributes?.Invoke(new OnnxNodeBuilder(node));
        _graph.Node.Add(node);
        return this;
    }

    /// <summary>The model; imports default-domain opset 17 when nothing was imported.</summary>
    public ModelProto Build()
    {
        if (_model.OpsetImport.Count == 0)
        {
            Opset(OpsetDomains.Default, 17);
        }

        var opset = _model.OpsetImport.FirstOrDefault(o => o.Domain.Length == 0)?.Version ?? 17;
        _model.IrVersion = _irVersion ?? opset switch
        {
            <= 8 => 4,
            <= 12 => 7,
            <= 18 => 8,
            <= 20 => 9,
            <= 22 => 10,
            _ => 11,
        };
        return _model;
    }

    /// <summary>The bytes of the <c>.onnx</c> file.</summary>
    public byte[] ToBytes() => Build().ToByteArray();
}
