namespace Escala.Onnx.Protobuf;

/// <summary>
/// ONNX <c>TensorProto</c> as stored: dims, type code, and the values in <see cref="RawData"/>
/// (little-endian) or one typed field. <see cref="TensorProtoConverter"/> turns it into a tensor.
/// </summary>
public sealed class TensorProto
{
    /// <summary>Where the data lives: in this message, or in an external file (refused by the engine).</summary>
    public const int DataLocationExternal = 1;

    /// <summary>The dimensions.</summary>
    public List<long> Dims { get; } = [];

    /// <summary>The element type code (<c>TensorProto.DataType</c>).</summary>
    public int DataType { get; set; }

    /// <summary>float values.</summary>
    public List<float> FloatData { get; } = [];

    /// <summary>int32, int16, int8, uint16, uint8, bool and float16 (bits) values.</summary>
    public List<int> Int32Data { get; } = [];

    /// <summary>string values (UTF-8 bytes).</summary>
    public List<byte[]> StringData { get; } = [];

    /// <summary>int64 values.</summary>
    public List<long> Int64Data { get; } = [];

    /// <summary>The tensor name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Documentation.</summary>
    public string? DocString { get; set; }

    /// <summary>Values as little-endian bytes, when set.</summary>
    public byte[]? RawData { get; set; }

    /// <summary>External data location entries (location, offset, length).</summary>
    public List<StringStringEntryProto> ExternalData { get; } = [];

    /// <summary>0 = default (data in this message), 1 = external.</summary>
    public int DataLocation { get; set; }

    /// <summary>double values.</summary>
    public List<double> DoubleData { get; } = [];

    /// <summary>uint32 and uint64 values.</summary>
    public List<ulong> UInt64Data { get; } = [];

    /// <summary>Whether a <c>segment</c> field was present (chunked tensors, not supported).</summary>
    public bool HasSegment { get; set; }

    /// <summary>Parses a serialized TensorProto (e.g. a backend test <c>.pb</c> file).</summary>
    public static TensorProto Parse(ReadOnlySpan<byte> bytes) => Read(new ProtoReader(bytes), 0);

    /// <summary>Serializes to protocol buffers bytes.</summary>
    public byte[] ToByteArray()
    {
        var w = new ProtoWriter();
        Write(w);
        return w.ToArray();
    }

    internal static TensorProto Read(ProtoReader r, int depth)
    {
        ProtoReader.Enter(depth, "TensorProto");
        var m = new TensorProto();
        while (!r.End)
        {
            var field = r.ReadTag(out var wire);
            switch (field)
            {
                case 1: r.ReadInt64s(wire, m.Dims); break;
                case 2 when wire == WireType.Varint: m.DataType = r.ReadInt32(); break;
                case 3: m.HasSegment = true; r.Skip(wire); break;
                case 4: r.ReadFloats(wire, m.FloatData); break;
                case 5: r.ReadInt32s(wire, m.Int32Data); break;
                case 6 when wire == WireType.LengthDelimited: m.StringData.Add(r.ReadBytes().ToArray()); break;
                case 7: r.ReadInt64s(wire, m.Int64Data); break;
                case 8 when wire == WireType.LengthDelimited: m.Name = r.ReadString(); break;
                case 9 when wire == WireType.LengthDelimited: m.RawData = r.ReadBytes().ToArray(); break;
                case 10: r.ReadDoubles(wire, m.DoubleData); break;
                case 11: r.ReadUInt64s(wire, m.UInt64Data); break;
                case 12 when wire == WireType.LengthDelimited: m.DocString = r.ReadString(); break;
                case 13 when wire == WireType.LengthDelimited: m.ExternalData.Add(StringStringEntryProto.Read(r.ReadMessage())); break;
                case 14 when wire == WireType.Varint: m.DataLocation = r.ReadInt32(); break;
                default: r.Skip(wire); break;
            }
        }

        return m;
    }

    internal void Write(ProtoWriter w)
    {
        w.PackedInt64(1, Dims);
        w.Int64(2, DataType);
        w.PackedFloat(4, FloatData);
        w.PackedInt32(5, Int32Data);
        foreach (var s in StringData)
        {
            w.Bytes(6, s);
        }

        w.PackedInt64(7, Int64Data);
        w.String(8, Name);
        if (RawData is not null)
        {
            w.Bytes(9, RawData);
        }

        w.PackedDouble(10, DoubleData);
        w.PackedUInt64(11, UInt64Data);
        w.String(12, DocString);
        foreach (var e in ExternalData)
        {
            var s = w.BeginLength(13);
            e.Write(w);
            w.EndLength(s);
        }

        w.Int64IfSet(14, DataLocation);
    }
}
