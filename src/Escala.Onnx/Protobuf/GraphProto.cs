namespace Escala.Onnx.Protobuf;

/// <summary>ONNX <c>GraphProto</c>: nodes, initializers, inputs, outputs and value infos.</summary>
public sealed class GraphProto
{
    /// <summary>The nodes (the file's order need not be topological).</summary>
    public List<NodeProto> Node { get; } = [];

    /// <summary>The graph name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Constant tensors (weights).</summary>
    public List<TensorProto> Initializer { get; } = [];

    /// <summary>Sparse constant tensors.</summary>
    public List<SparseTensorProto> SparseInitializer { get; } = [];

    /// <summary>Documentation.</summary>
    public string? DocString { get; set; }

    /// <summary>Graph inputs (may also list initializers, as older exporters do).</summary>
    public List<ValueInfoProto> Input { get; } = [];

    /// <summary>Graph outputs.</summary>
    public List<ValueInfoProto> Output { get; } = [];

    /// <summary>Types of intermediate values.</summary>
    public List<ValueInfoProto> ValueInfo { get; } = [];

    internal static GraphProto Read(ProtoReader r, int depth)
    {
        depth = ProtoReader.Enter(depth, "GraphProto");
        var m = new GraphProto();
        while (!r.End)
        {
            switch (r.ReadTag(out var wire))
            {
                case 1 when wire == WireType.LengthDelimited: m.Node.Add(NodeProto.Read(r.ReadMessage(), depth)); break;
                case 2 when wire == WireType.LengthDelimited: m.Name = r.ReadString(); break;
                case 5 when wire == WireType.LengthDelimited: m.Initializer.Add(TensorProto.Read(r.ReadMessage(), depth)); break;
                case 10 when wire == WireType.LengthDelimited: m.DocString = r.ReadString(); break;
                case 11 when wire == WireType.LengthDelimited: m.Input.Add(ValueInfoProto.Read(r.ReadMessage(), depth)); break;
                case 12 when wire == WireType.LengthDelimited: m.Output.Add(ValueInfoProto.Read(r.ReadMessage(), depth)); break;
                case 13 when wire == WireType.LengthDelimited: m.ValueInfo.Add(ValueInfoProto.Read(r.ReadMessage(), depth)); break;
                case 15 when wire == WireType.LengthDelimited: m.SparseInitializer.Add(SparseTensorProto.Read(r.ReadMessage(), depth)); break;
                default: r.Skip(wire); break;
            }
        }

        return m;
    }

    internal void Write(ProtoWriter w)
    {
        foreach (var n in Node)
        {
            var s = w.BeginLength(1);
            n.Write(w);
            w.EndLength(s);
        }

        w.String(2, Name);
        foreach (var t in Initializer)
        {
            var s = w.BeginLength(5);
            t.Write(w);
            w.EndLength(s);
        }

        w.String(10, DocString);
        WriteAll(w, 11, Input);
        WriteAll(w, 12, Output);
        WriteAll(w, 13, ValueInfo);
        foreach (var t in SparseInitializer)
        {
            var s = w.BeginLength(15);
            t.Write(w);
            w.EndLength(s);
        }
    }

    private static void WriteAll(ProtoWriter w, int field, List<ValueInfoProto> values)
    {
        foreach (var v in values)
        {
            var s = w.BeginLength(field);
            v.Write(w);
            w.EndLength(s);
        }
    }
}
