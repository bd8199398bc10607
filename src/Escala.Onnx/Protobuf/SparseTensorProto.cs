namespace Escala.Onnx.Protobuf;

/// <summary>ONNX <c>SparseTensorProto</c>: read and written so models round-trip; the engine does not run sparse tensors.</summary>
public sealed class SparseTensorProto
{
    /// <summary>The non-default values.</summary>
    public TensorProto? Values { get; set; }

    /// <summary>Their indices.</summary>
    public TensorProto? Indices { get; set; }

    /// <summary>The dense shape.</summary>
    public List<long> Dims { get; } = [];

    internal static SparseTensorProto Read(ProtoReader r, int depth)
    {
        depth = ProtoReader.Enter(depth, "SparseTensorProto");
        var m = new SparseTensorProto();
        while (!r.End)
        {
            switch (r.ReadTag(out var wire))
            {
                case 1 when wire == WireType.LengthDelimited: m.Values = TensorProto.Read(r.ReadMessage(), depth); break;
                case 2 when wire == WireType.LengthDelimited: m.Indices = TensorProto.Read(r.ReadMessage(), depth); break;
                case 3: r.ReadInt64s(wire, m.Dims); break;
                default: r.Skip(wire); break;
            }
        }

        return m;
    }

    internal void Write(ProtoWriter w)
    {
        if (Values is not null)
        {
            var s = w.BeginLength(1);
            Values.Write(w);
            w.EndLength(s);
        }

        if (Indices is not null)
        {
            var s = w.BeginLength(2);
            Indices.Write(w);
            w.EndLength(s);
        }

        w.PackedInt64(3, Dims);
    }
}
