namespace Escala.Onnx.Protobuf;

/// <summary>ONNX <c>AttributeProto</c>: a named attribute of a node, of any <see cref="AttributeType"/>.</summary>
public sealed class AttributeProto
{
    /// <summary>The attribute name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>In a function body: the caller's attribute this one refers to.</summary>
    public string? RefAttrName { get; set; }

    /// <summary>Documentation.</summary>
    public string? DocString { get; set; }

    /// <summary>The declared kind (older files may leave it unset; see <see cref="EffectiveType"/>).</summary>
    public AttributeType Type { get; set; }

    /// <summary>FLOAT value.</summary>
    public float F { get; set; }

    /// <summary>INT value.</summary>
    public long I { get; set; }

    /// <summary>STRING value (bytes).</summary>
    public byte[]? S { get; set; }

    /// <summary>TENSOR value.</summary>
    public TensorProto? T { get; set; }

    /// <summary>GRAPH value.</summary>
    public GraphProto? G { get; set; }

    /// <summary>SPARSE_TENSOR value.</summary>
    public SparseTensorProto? SparseTensor { get; set; }

    /// <summary>TYPE_PROTO value.</summary>
    public TypeProto? Tp { get; set; }

    /// <summary>FLOATS values.</summary>
    public List<float> Floats { get; } = [];

    /// <summary>INTS values.</summary>
    public List<long> Ints { get; } = [];

    /// <summary>STRINGS values.</summary>
    public List<byte[]> Strings { get; } = [];

    /// <summary>TENSORS values.</summary>
    public List<TensorProto> Tensors { get; } = [];

    /// <summary>GRAPHS values.</summary>
    public List<GraphProto> Graphs { get; } = [];

    /// <summary>SPARSE_TENSORS values.</summary>
    public List<SparseTensorProto> SparseTensors { get; } = [];

    /// <summary>TYPE_PROTOS values.</summary>
    public List<TypeProto> TypeProtos { get; } = [];

    /// <summary>The type, inferred from the fields present when the file left it unset (IR version 1 files).</summary>
    public AttributeType EffectiveType
    {
        get
        {
            if (Type != AttributeType.Undefined)
            {
                return Type;
            }

            if (Floats.Count > 0) return AttributeType.Floats;
            if (Ints.Count > 0) return AttributeType.Ints;
            if (Strings.Count > 0) return AttributeType.Strings;
            if (Tensors.Count > 0) return AttributeType.Tensors;
            if (Graphs.Count > 0) return AttributeType.Graphs;
            if (T is not null) return AttributeType.Tensor;
            if (G is not null) return AttributeType.Graph;
            if (S is not null) return AttributeType.String;
            if (Tp is not null) return AttributeType.TypeProto;
            if (SparseTensor is not null) return AttributeType.SparseTensor;
            return F != 0 ? AttributeType.Float : AttributeType.Int;
        }
    }

    internal static AttributeProto Read(ProtoReader r, int depth)
    {
        depth = ProtoReader.Enter(depth, "AttributeProto");
        var m = new AttributeProto();
        while (!r.End)
        {
            var field = r.ReadTag(out var wire);
            switch (field)
            {
                case 1 when wire == WireType.LengthDelimited: m.Name = r.ReadString(); break;
                case 2 when wire == WireType.Fixed32: m.F = r.ReadFloat(); break;
                case 3 when wire == WireType.Varint: m.I = r.ReadInt64(); break;
                case 4 when wire == WireType.LengthDelimited: m.S = r.ReadBytes().ToArray(); break;
                case 5 when wire == WireType.LengthDelimited: m.T = TensorProto.Read(r.ReadMessage(), depth); break;
                case 6 when wire == WireType.LengthDelimited: m.G = GraphProto.Read(r.ReadMessage(), depth); break;
                case 7: r.ReadFloats(wire, m.Floats); break;
                case 8: r.ReadInt64s(wire, m.Ints); break;
                case 9 when wire == WireType.LengthDelimited: m.Strings.Add(r.ReadBytes().ToArray()); break;
                case 10 when wire == WireType.LengthDelimited: m.Tensors.Add(TensorProto.Read(r.ReadMessage(), depth)); break;
                case 11 when wire == WireType.LengthDelimited: m.Graphs.Add(GraphProto.Read(r.ReadMessage(), depth)); break;
                case 13 when wire == WireType.LengthDelimited: m.DocString = r.ReadString(); break;
                case 14 when wire == WireType.LengthDelimited: m.Tp = TypeProto.Read(r.ReadMessage(), depth); break;
                case 15 when wire == WireType.LengthDelimited: m.TypeProtos.Add(TypeProto.Read(r.ReadMessage(), depth)); break;
                case 20 when wire == WireType.Varint: m.Type = (AttributeType)r.ReadInt32(); break;
                case 21 when wire == WireType.LengthDelimited: m.RefAttrName = r.ReadString(); break;
                case 22 when wire == WireType.LengthDelimited: m.SparseTensor = SparseTensorProto.Read(r.ReadMessage(), depth); break;
                case 23 when wire == WireType.LengthDelimited: m.SparseTensors.Add(SparseTensorProto.Read(r.ReadMessage(), depth)); break;
                default: r.Skip(wire); break;
            }
        }

        return m;
    }

    internal void Write(ProtoWriter w)
    {
        w.StringAlways(1, Name);
        var type = EffectiveType;
        switch (type)
        {
            case AttributeType.Float: w.Float(2, F); break;
            case AttributeType.Int: w.Int64(3, I); break;
            case AttributeType.String: w.Bytes(4, S ?? []); break;
            case AttributeType.Tensor when T is not null: WriteNested(w, 5, T.Write); break;
            case AttributeType.Graph when G is not null: WriteNested(w, 6, G.Write); break;
            case AttributeType.Floats: w.PackedFloat(7, Floats); break;
            case AttributeType.Ints: w.PackedInt64(8, Ints); break;
            case AttributeType.Strings:
                foreach (var s in Strings)
                {
                    w.Bytes(9, s);
                }

                break;
            case AttributeType.Tensors:
                foreach (var t in Tensors)
                {
                    WriteNested(w, 10, t.Write);
                }

                break;
            case AttributeType.Graphs:
                foreach (var g in Graphs)
                {
                    WriteNested(w, 11, g.Write);
                }

                break;
            case AttributeType.TypeProto when Tp is not null: WriteNested(w, 14, Tp.Write); break;
            case AttributeType.TypeProtos:
                foreach (var tp in TypeProtos)
                {
                    WriteNested(w, 15, tp.Write);
                }

                break;
            case AttributeType.SparseTensor when SparseTensor is not null: WriteNested(w, 22, SparseTensor.Write); break;
            case AttributeType.SparseTensors:
                foreach (var st in SparseTensors)
                {
                    WriteNested(w, 23, st.Write);
                }

                break;
        }

        w.String(13, DocString);
        w.Int64(20, (int)type);
        w.String(21, RefAttrName);
    }

    private static void WriteNested(ProtoWriter w, int field, Action<ProtoWriter> write)
    {
        var s = w.BeginLength(field);
        write(w);
        w.EndLength(s);
    }
}
