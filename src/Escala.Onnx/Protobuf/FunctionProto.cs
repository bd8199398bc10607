namespace Escala.Onnx.Protobuf;

/// <summary>ONNX <c>FunctionProto</c>: a model-local function (read so models round-trip and can be reported on).</summary>
public sealed class FunctionProto
{
    /// <summary>The function (operator) name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The function's domain.</summary>
    public string Domain { get; set; } = string.Empty;

    /// <summary>Input names.</summary>
    public List<string> Input { get; } = [];

    /// <summary>Output names.</summary>
    public List<string> Output { get; } = [];

    /// <summary>Attribute names.</summary>
    public List<string> Attribute { get; } = [];

    /// <summary>The body.</summary>
    public List<NodeProto> Node { get; } = [];

    /// <summary>Operator sets the body uses.</summary>
    public List<OperatorSetIdProto> OpsetImport { get; } = [];

    /// <summary>Documentation.</summary>
    public string? DocString { get; set; }

    internal static FunctionProto Read(ProtoReader r, int depth)
    {
        depth = ProtoReader.Enter(depth, "FunctionProto");
        var m = new FunctionProto();
        while (!r.End)
        {
            switch (r.ReadTag(out var wire))
            {
                case 1 when wire == WireType.LengthDelimited: m.Name = r.ReadString(); break;
                case 4 when wire == WireType.LengthDelimited: m.Input.Add(r.ReadString()); break;
                case 5 when wire == WireType.LengthDelimited: m.Output.Add(r.ReadString()); break;
                case 6 when wire == WireType.LengthDelimited: m.Attribute.Add(r.ReadString()); break;
                case 7 when wire == WireType.LengthDelimited: m.Node.Add(NodeProto.Read(r.ReadMessage(), depth)); break;
                case 8 when wire == WireType.LengthDelimited: m.DocString = r.ReadString(); break;
                case 9 when wire == WireType.LengthDelimited: m.OpsetImport.Add(OperatorSetIdProto.Read(r.ReadMessage())); break;
                case 10 when wire == WireType.LengthDelimited: m.Domain = r.ReadString(); break;
                default: r.Skip(wire); break;
            }
        }

        return m;
    }

    internal void Write(ProtoWriter w)
    {
        w.String(1, Name);
        foreach (var i in Input)
        {
            w.StringAlways(4, i);
        }

        foreach (var o in Output)
        {
            w.StringAlways(5, o);
        }

        foreach (var a in Attribute)
        {
            w.StringAlways(6, a);
        }

        foreach (var n in Node)
        {
            var s = w.BeginLength(7);
            n.Write(w);
            w.EndLength(s);
        }

        w.String(8, DocString);
        foreach (var o in OpsetImport)
        {
            var s = w.BeginLength(9);
            o.Write(w);
            w.EndLength(s);
        }

        w.String(10, Domain);
    }
}
