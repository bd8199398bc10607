namespace Escala.Onnx.Protobuf;

/// <summary>ONNX <c>TypeProto</c>: a tensor, sequence, map, optional or sparse tensor type (a oneof).</summary>
public sealed class TypeProto
{
    /// <summary>Set for a tensor type.</summary>
    public TensorTypeProto? TensorType { get; set; }

    /// <summary>Set for a sequence type: the element type.</summary>
    public TypeProto? SequenceElementType { get; set; }

    /// <summary>Set for a map type: the key element type code.</summary>
    public int? MapKeyType { get; set; }

    /// <summary>Set for a map type: the value type.</summary>
    public TypeProto? MapValueType { get; set; }

    /// <summary>Set for an optional type: the element type.</summary>
    public TypeProto? OptionalElementType { get; set; }

    /// <summary>Set for a sparse tensor type.</summary>
    public TensorTypeProto? SparseTensorType { get; set; }

    /// <summary>Optional type denotation.</summary>
    public string? Denotation { get; set; }

    internal static TypeProto Read(ProtoReader r, int depth)
    {
        depth = ProtoReader.Enter(depth, "TypeProto");
        var m = new TypeProto();
        while (!r.End)
        {
            switch (r.ReadTag(out var wire))
            {
                case 1 when wire == WireType.LengthDelimited: m.TensorType = TensorTypeProto.Read(r.ReadMessage(), depth); break;
                case 4 when wire == WireType.LengthDelimited: m.SequenceElementType = ReadInner(r.ReadMessage(), depth); break;
                case 5 when wire == WireType.LengthDelimited: ReadMap(r.ReadMessage(), depth, m); break;
                case 6 when wire == WireType.LengthDelimited: m.Denotation = r.ReadString(); break;
                case 8 when wire == WireType.LengthDelimited: m.SparseTensorType = TensorTypeProto.Read(r.ReadMessage(), depth); break;
                case 9 when wire == WireType.LengthDelimited: m.OptionalElementType = ReadInner(r.ReadMessage(), depth); break;
                default: r.Skip(wire); break;
            }
        }

        return m;
    }

    // Sequence and Optional wrap one TypeProto in field 1.
    private static TypeProto? ReadInner(ProtoReader r, int depth)
    {
        TypeProto? inner = null;
        while (!r.End)
        {
            switch (r.ReadTag(out var wire))
            {
                case 1 when wire == WireType.LengthDelimited: inner = Read(r.ReadMessage(), depth); break;
                default: r.Skip(wire); break;
            }
        }

        return inner ?? new TypeProto();
    }

    private static void ReadMap(ProtoReader r, int depth, TypeProto m)
    {
        m.MapKeyType = 0;
        while (!r.End)
        {
            switch (r.ReadTag(out var wire))
            {
                case 1 when wire == WireType.Varint: m.MapKeyType = r.ReadInt32(); break;
                case 2 when wire == WireType.LengthDelimited: m.MapValueType = Read(r.ReadMessage(), depth); break;
                default: r.Skip(wire); break;
            }
        }
    }

    internal void Write(ProtoWriter w)
    {
        if (TensorType is not null)
        {
            var s = w.BeginLength(1);
            TensorType.Write(w);
            w.EndLength(s);
        }

        if (SequenceElementType is not null)
        {
            var s = w.BeginLength(4);
            var inner = w.BeginLength(1);
            SequenceElementType.Write(w);
            w.EndLength(inner);
            w.EndLength(s);
        }

        if (MapKeyType is { } key)
        {
            var s = w.BeginLength(5);
            w.Int64(1, key);
            if (MapValueType is not null)
            {
                var inner = w.BeginLength(2);
                MapValueType.Write(w);
                w.EndLength(inner);
            }

            w.EndLength(s);
        }

        w.String(6, Denotation);
        if (SparseTensorType is not null)
        {
            var s = w.BeginLength(8);
            SparseTensorType.Write(w);
            w.EndLength(s);
        }

        if (OptionalElementType is not null)
        {
            var s = w.BeginLength(9);
            var inner = w.BeginLength(1);
            OptionalElementType.Write(w);
            w.EndLength(inner);
            w.EndLength(s);
        }
    }
}
