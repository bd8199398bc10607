namespace Escala.Onnx.Protobuf;

/// <summary>ONNX <c>TensorShapeProto</c>: declared dims, each fixed, symbolic or unknown.</summary>
public sealed class TensorShapeProto
{
    /// <summary>The dimensions, outermost first.</summary>
    public List<Dimension> Dim { get; } = [];

    internal static TensorShapeProto Read(ProtoReader r, int depth)
    {
        var m = new TensorShapeProto();
        while (!r.End)
        {
            switch (r.ReadTag(out var wire))
            {
                case 1 when wire == WireType.LengthDelimited: m.Dim.Add(Dimension.Read(r.ReadMessage())); break;
                default: r.Skip(wire); break;
            }
        }

        _ = depth;
        return m;
    }

    internal void Write(ProtoWriter w)
    {
        foreach (var d in Dim)
        {
            var s = w.BeginLength(1);
            d.Write(w);
            w.EndLength(s);
        }
    }

    /// <summary>One dimension: <see cref="DimValue"/> or <see cref="DimParam"/> (a oneof), or neither.</summary>
    public sealed class Dimension
    {
        /// <summary>The fixed size, when set.</summary>
        public long? DimValue { get; set; }

        /// <summary>The symbolic name, when set.</summary>
        public string? DimParam { get; set; }

        /// <summary>Optional denotation (e.g. DATA_BATCH).</summary>
        public string? Denotation { get; set; }

        internal static Dimension Read(ProtoReader r)
        {
            var m = new Dimension();
            while (!r.End)
            {
                switch (r.ReadTag(out var wire))
                {
                    case 1 when wire == WireType.Varint: m.DimValue = r.ReadInt64(); m.DimParam = null; break;
                    case 2 when wire == WireType.LengthDelimited: m.DimParam = r.ReadString(); m.DimValue = null; break;
                    case 3 when wire == WireType.LengthDelimited: m.Denotation = r.ReadString(); break;
                    default: r.Skip(wire); break;
                }
            }

            return m;
        }

        internal void Write(ProtoWriter w)
        {
            if (DimValue is { } v)
            {
                w.Int64(1, v);
            }
            else if (DimParam is not null)
            {
                w.StringAlways(2, DimParam);
            }

            w.String(3, Denotation);
        }
    }
}
