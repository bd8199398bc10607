namespace Escala.Onnx.Protobuf;

/// <summary>ONNX <c>StringStringEntryProto</c>: a key/value pair (metadata, external data locations).</summary>
public sealed class StringStringEntryProto
{
    /// <summary>The key.</summary>
    public string Key { get; set; } = string.Empty;

    /// <summary>The value.</summary>
    public string Value { get; set; } = string.Empty;

    internal static StringStringEntryProto Read(ProtoReader r)
    {
        var m = new StringStringEntryProto();
        while (!r.End)
        {
            switch (r.ReadTag(out var wire))
            {
                case 1 when wire == WireType.LengthDelimited: m.Key = r.ReadString(); break;
                case 2 when wire == WireType.LengthDelimited: m.Value = r.ReadString(); break;
                default: r.Skip(wire); break;
            }
        }

        return m;
    }

    internal void Write(ProtoWriter w)
    {
        w.String(1, Key);
        w.String(2, Value);
    }
}
