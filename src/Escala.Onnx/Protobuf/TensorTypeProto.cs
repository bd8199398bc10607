namespace Escala.Onnx.Protobuf;

/// <summary>ONNX <c>TypeProto.Tensor</c> (also used for sparse tensors): element type code and optional shape.</summary>
public sealed class TensorTypeProto
{
    /// <summary>The element type code (<c>TensorProto.DataType</c>).</summary>
    public int ElemType { get; set; }

    /// <summary>The shape; null when the rank is unknown.</summary>
    public TensorShapeProto? Shape { get; set; }

    internal static TensorTypeProto Read(ProtoReader r, int depth)
    {
        var m = new TensorTypeProto();
        while (!r.End)
        {
            switch (r.ReadTag(out var wire))
            {
                case 1 when wire == WireType.Varint: m.ElemType = r.ReadInt32(); break;
                case 2 when wire == WireType.LengthDelimited: m.Shape = TensorShapeProto.Read(r.ReadMessage(), depth); break;
                default: r.Skip(wire); break;
            }
        }

        return m;
    }

    internal void Write(ProtoWriter w)
    {
        w.Int64(1, ElemType);
        if (Shape is not null)
        {
            var s = w.BeginLength(2);
            Shape.Write(w);
            w.EndLength(s);
        }
    }
}
