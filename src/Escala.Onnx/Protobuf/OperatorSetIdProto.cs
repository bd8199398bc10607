namespace Escala.Onnx.Protobuf;

/// <summary>ONNX <c>OperatorSetIdProto</c>: an imported operator set (domain and version).</summary>
public sealed class OperatorSetIdProto
{
    /// <summary>The domain; empty (or <c>ai.onnx</c>) is the default ONNX domain.</summary>
    public string Domain { get; set; } = string.Empty;

    /// <summary>The operator set version.</summary>
    public long Version { get; set; }

    internal static OperatorSetIdProto Read(ProtoReader r)
    {
        var m = new OperatorSetIdProto();
        while (!r.End)
        {
            switch (r.ReadTag(out var wire))
            {
                case 1 when wire == WireType.LengthDelimited: m.Domain = r.ReadString(); break;
                case 2 when wire == WireType.Varint: m.Version = r.ReadInt64(); break;
                default: r.Skip(wire); break;
            }
        }

        return m;
    }

    internal void Write(ProtoWriter w)
    {
        w.StringAlways(1, Domain);
        w.Int64(2, Version);
    }
}
