namespace Escala.Onnx.Protobuf;

/// <summary>ONNX <c>ValueInfoProto</c>: a named value with its declared type.</summary>
public sealed class ValueInfoProto
{
    /// <summary>The value name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The declared type, if any.</summary>
    public TypeProto? Type { get; set; }

    /// <summary>Documentation.</summary>
    public string? DocString { get; set; }

    internal static ValueInfoProto Read(ProtoReader r, int depth)
    {
        var m = new ValueInfoProto();
        while (!r.End)
        {
            switch (r.ReadTag(out var wire))
            {
                case 1 when wire == WireType.LengthDelimited: m.Name = r.ReadString(); break;
                case 2 when wire == WireType.LengthDelimited: m.Type = TypeProto.Read(r.ReadMessage(), depth); break;
                case 3 when wire == WireType.LengthDelimited: m.DocString = r.ReadString(); break;
                default: r.Skip(wire); break;
            }
        }

        return m;
    }

    internal void Write(ProtoWriter w)
    {
        w.String(1, Name);
        if (Type is not null)
        {
            var s = w.BeginLength(2);
            Type.Write(w);
            w.EndLength(s);
        }

        w.String(3, DocString);
    }
}
