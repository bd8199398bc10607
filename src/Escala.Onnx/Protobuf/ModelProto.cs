namespace Escala.Onnx.Protobuf;

/// <summary>ONNX <c>ModelProto</c>: the top-level message of a <c>.onnx</c> file.</summary>
public sealed class ModelProto
{
    /// <summary>The IR version the file follows.</summary>
    public long IrVersion { get; set; }

    /// <summary>Imported operator sets, one per domain.</summary>
    public List<OperatorSetIdProto> OpsetImport { get; } = [];

    /// <summary>The tool that produced the model (e.g. skl2onnx).</summary>
    public string ProducerName { get; set; } = string.Empty;

    /// <summary>The producing tool's version.</summary>
    public string ProducerVersion { get; set; } = string.Empty;

    /// <summary>The model's namespace domain.</summary>
    public string Domain { get; set; } = string.Empty;

    /// <summary>The model's own version number.</summary>
    public long ModelVersion { get; set; }

    /// <summary>Documentation.</summary>
    public string? DocString { get; set; }

    /// <summary>The main graph.</summary>
    public GraphProto? Graph { get; set; }

    /// <summary>Free-form metadata.</summary>
    public List<StringStringEntryProto> MetadataProps { get; } = [];

    /// <summary>Model-local functions.</summary>
    public List<FunctionProto> Functions { get; } = [];

    /// <summary>Parses a serialized model; throws <see cref="ProtoFormatException"/> when the bytes are not well-formed.</summary>
    public static ModelProto Parse(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes);
        var m = new ModelProto();
        while (!r.End)
        {
            switch (r.ReadTag(out var wire))
            {
                case 1 when wire == WireType.Varint: m.IrVersion = r.ReadInt64(); break;
                case 2 when wire == WireType.LengthDelimited: m.ProducerName = r.ReadString(); break;
                case 3 when wire == WireType.LengthDelimited: m.ProducerVersion = r.ReadString(); break;
                case 4 when wire == WireType.LengthDelimited: m.Domain = r.ReadString(); break;
                case 5 when wire == WireType.Varint: m.ModelVersion = r.ReadInt64(); break;
                case 6 when wire == WireType.LengthDelimited: m.DocString = r.ReadString(); break;
                case 7 when wire == WireType.LengthDelimited: m.Graph = GraphProto.Read(r.ReadMessage(), 1); break;
                case 8 when wire == WireType.LengthDelimited: m.OpsetImport.Add(OperatorSetIdProto.Read(r.ReadMessage())); break;
                case 14 when wire == WireType.LengthDelimited: m.MetadataProps.Add(StringStringEntryProto.Read(r.ReadMessage())); break;
                case 25 when wire == WireType.LengthDelimited: m.Functions.Add(FunctionProto.Read(r.ReadMessage(), 1)); break;
                default: r.Skip(wire); break;
            }
        }

        return m;
    }

    /// <summary>Serializes to the bytes of a <c>.onnx</c> file.</summary>
    public byte[] ToByteArray()
    {
        var w = new ProtoWriter();
        w.Int64(1, IrVersion);
        w.String(2, ProducerName);
        w.String(3, ProducerVersion);
        w.String(4, Domain);
        w.Int64IfSet(5, ModelVersion);
        w.String(6, DocString);
        if (Graph is not null)
        {
            var s = w.BeginLength(7);
            Graph.Write(w);
            w.EndLength(s);
        }

        foreach (var o in OpsetImport)
        {
            var s = w.BeginLength(8);
            o.Write(w);
            w.EndLength(s);
        }

        foreach (var p in MetadataProps)
        {
            var s = w.BeginLength(14);
            p.Write(w);
            w.EndLength(s);
        }

        foreach (var f in Functions)
        {
            var s = w.BeginLength(25);
            f.Write(w);
            w.EndLength(s);
        }

        return w.ToArray();
    }
}
