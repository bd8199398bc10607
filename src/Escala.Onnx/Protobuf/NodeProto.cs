namespace Escala.Onnx.Protobuf;

/// <summary>ONNX <c>NodeProto</c>: one operator call in a graph.</summary>
public sealed class NodeProto
{
    /// <summary>Input value names; an empty name is an omitted optional input.</summary>
    public List<string> Input { get; } = [];

    /// <summary>Output value names; an empty name is an omitted optional output.</summary>
    public List<string> Output { get; } = [];

    /// <summary>The node name (may be empty).</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The operator.</summary>
    public string OpType { get; set; } = string.Empty;

    /// <summary>The operator's domain; empty (or <c>ai.onnx</c>) is the default domain.</summary>
    public string Domain { get; set; } = string.Empty;

    /// <summary>The attributes.</summary>
    public List<AttributeProto> Attribute { get; } = [];

    /// <summary>Documentation.</summary>
    public string? DocString { get; set; }

    internal static NodeProto Read(ProtoReader r, int depth)
    {
        depth = ProtoReader.Enter(depth, "NodeProto");
        var m = new NodeProto();
        while (!r.End)
        {
            switch (r.ReadTag(out var wire))
            {
                case 1 when wire == WireType.LengthDelimited: m.Input.Add(r.ReadString()); break;
                case 2 when wire == WireType.LengthDelimited: m.Output.Add(r.ReadString()); break;
                case 3 when wire == WireType.LengthDelimited: m.Name = r.ReadString(); break;
                case 4 when wire == WireType.LengthDelimited: m.OpType = r.ReadString(); break;
                case 5 when wire == WireType.LengthDelimited: m.Attribute.Add(AttributeProto.Read(r.ReadMessage(), depth)); break;
                case 6 when wire == WireType.LengthDelimited: m.DocString = r.ReadString(); break;
                case 7 when wire == WireType.LengthDelimited: m.Domain = r.ReadString(); break;
                default: r.Skip(wire); break;
            }
        }

        return m;
    }

    internal void Write(ProtoWriter w)
    {
        foreach (var i in Input)
        {
            w.StringAlways(1, i);
        }

        foreach (var o in Output)
        {
            w.StringAlways(2, o);
        }

        w.String(3, Name);
        w.String(4, OpType);
        foreach (var a in Attribute)
        {
            var s = w.BeginLength(5);
            a.Write(w);
            w.EndLength(s);
        }

        w.String(6, DocString);
        w.String(7, Domain);
    }
}
