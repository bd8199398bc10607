using System.Globalization;
using Escala.Core.Problems;
using Escala.Core.Registry;

namespace Escala.Server.Registry;

/// <summary>
/// Checks that an upload is an ONNX ModelProto by reading its protobuf wire format (IR version,
/// graph, opset imports, inputs and outputs) without running it, and records the signature it
/// declares. Used until the engine can load models at registration; it cannot say whether the
/// engine supports the ops, so inspections report <c>Runnable = false</c>.
/// </summary>
public sealed class OnnxEnvelopeInspector : IModelInspector
{
    private static readonly string[] ElementTypes =
    [
        "undefined", "float", "uint8", "int8", "uint16", "int16", "int32", "int64", "string", "bool",
        "float16", "double", "uint32", "uint64", "complex64", "complex128", "bfloat16",
    ];

    /// <inheritdoc/>
    public ModelInspection Inspect(ReadOnlyMemory<byte> model)
    {
        try
        {
            return new ModelInspection(ReadModel(model.Span), Runnable: false);
        }
        catch (FormatException e)
        {
            throw ProblemTypes.InvalidModel.With($"The file is not an ONNX model: {e.Message}", e);
        }
    }

    private static ModelSignature ReadModel(ReadOnlySpan<byte> bytes)
    {
        long? irVersion = null;
        string? producer = null;
        var opsets = new Dictionary<string, long>(StringComparer.Ordinal);
        List<TensorSpec>? inputs = null, outputs = null;
        var reader = new WireReader(bytes);
        while (reader.Next(out var field, out var wire))
        {
            switch (field, wire)
            {
                case (1, 0): irVersion = reader.Varint(); break;
                case (2, 2): producer = reader.Text(); break;
                case (7, 2): (inputs, outputs) = ReadGraph(reader.Bytes()); break;
                case (8, 2): ReadOpset(reader.Bytes(), opsets); break;
                default: reader.Skip(wire); break;
            }
        }

        if (irVersion is not ( >= 1 and <= 100))
        {
            throw new FormatException("it has no valid ir_version (field 1)");
        }

        if (inputs is null || outputs is null)
        {
            throw new FormatException("it has no graph (field 7)");
        }

        if (outputs.Count == 0)
        {
            throw new FormatException("its graph declares no outputs");
        }

        return new ModelSignature(inputs, outputs, opsets, producer);
    }

    private static (List<TensorSpec> Inputs, List<TensorSpec> Outputs) ReadGraph(ReadOnlySpan<byte> graph)
    {
        var inputs = new List<TensorSpec>();
        var outputs = new List<TensorSpec>();
        var initializers = new HashSet<string>(StringComparer.Ordinal);
        var reader = new WireReader(graph);
        while (reader.Next(out var field, out var wire))
        {
            switch (field, wire)
            {
                case (5, 2): initializers.Add(ReadTensorName(reader.Bytes())); break;
                case (11, 2): inputs.Add(ReadValueInfo(reader.Bytes())); break;
                case (12, 2): outputs.Add(ReadValueInfo(reader.Bytes())); break;
                default: reader.Skip(wire); break;
            }
        }

        // Older exporters list initializers among the inputs; callers never feed them.
        inputs.RemoveAll(i => initializers.Contains(i.Name));
        return (inputs, outputs);
    }

    private static string ReadTensorName(ReadOnlySpan<byte> tensor)
    {
        var reader = new WireReader(tensor);
        var name = "";
        while (reader.Next(out var field, out var wire))
        {
            if (field == 8 && wire == 2)
            {
                name = reader.Text();
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return name;
    }

    private static void ReadOpset(ReadOnlySpan<byte> opset, Dictionary<string, long> opsets)
    {
        var reader = new WireReader(opset);
        var domain = "";
        long version = 0;
        while (reader.Next(out var field, out var wire))
        {
            switch (field, wire)
            {
                case (1, 2): domain = reader.Text(); break;
                case (2, 0): version = reader.Varint(); break;
                default: reader.Skip(wire); break;
            }
        }

        opsets[domain.Length == 0 ? "ai.onnx" : domain] = version;
    }

    private static TensorSpec ReadValueInfo(ReadOnlySpan<byte> valueInfo)
    {
        var reader = new WireReader(valueInfo);
        var name = "";
        var type = "unknown";
        IReadOnlyList<string>? dims = null;
        while (reader.Next(out var field, out var wire))
        {
            switch (field, wire)
            {
                case (1, 2): name = reader.Text(); break;
                case (2, 2): (type, dims) = ReadType(reader.Bytes()); break;
                default: reader.Skip(wire); break;
            }
        }

        if (name.Length == 0)
        {
            throw new FormatException("a graph input or output has no name");
        }

        return new TensorSpec(name, type, dims);
    }

    private static (string Type, IReadOnlyList<string>? Dims) ReadType(ReadOnlySpan<byte> typeProto, int depth = 0)
    {
        if (depth > 8)
        {
            throw new FormatException("its types nest more than 8 levels deep");
        }

        var reader = new WireReader(typeProto);
        while (reader.Next(out var field, out var wire))
        {
            switch (field, wire)
            {
                case (1, 2): return ReadTensorType(reader.Bytes());
                case (4, 2): return ($"seq({ReadSequenceType(reader.Bytes(), depth + 1)})", null);
                case (5, 2): return (ReadMapType(reader.Bytes(), depth + 1), null);
                default: reader.Skip(wire); break;
            }
        }

        return ("unknown", null);
    }

    private static string ReadSequenceType(ReadOnlySpan<byte> sequence, int depth)
    {
        var reader = new WireReader(sequence);
        var element = "unknown";
        while (reader.Next(out var field, out var wire))
        {
            if (field == 1 && wire == 2)
            {
                element = ReadType(reader.Bytes(), depth).Type;
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return element;
    }

    private static string ReadMapType(ReadOnlySpan<byte> map, int depth)
    {
        var reader = new WireReader(map);
        var key = "unknown";
        var value = "unknown";
        while (reader.Next(out var field, out var wire))
        {
            switch (field, wire)
            {
                case (1, 0): key = ElementName(reader.Varint()); break;
                case (2, 2): value = ReadType(reader.Bytes(), depth).Type; break;
                default: reader.Skip(wire); break;
            }
        }

        return $"map({key},{value})";
    }

    private static (string Type, IReadOnlyList<string>? Dims) ReadTensorType(ReadOnlySpan<byte> tensorType)
    {
        var reader = new WireReader(tensorType);
        var element = "unknown";
        List<string>? dims = null;
        while (reader.Next(out var field, out var wire))
        {
            switch (field, wire)
            {
                case (1, 0): element = ElementName(reader.Varint()); break;
                case (2, 2): dims = ReadShape(reader.Bytes()); break;
                default: reader.Skip(wire); break;
            }
        }

        return (element, dims);
    }

    private static List<string> ReadShape(ReadOnlySpan<byte> shape)
    {
        var dims = new List<string>();
        var reader = new WireReader(shape);
        while (reader.Next(out var field, out var wire))
        {
            if (field != 1 || wire != 2)
            {
                reader.Skip(wire);
                continue;
            }

            var dim = new WireReader(reader.Bytes());
            var text = "?";
            while (dim.Next(out var dimField, out var dimWire))
            {
                switch (dimField, dimWire)
                {
                    case (1, 0): text = dim.Varint().ToString(CultureInfo.InvariantCulture); break;
                    case (2, 2): text = dim.Text() is { Length: > 0 } symbol ? symbol : "?"; break;
                    default: dim.Skip(dimWire); break;
                }
            }

            dims.Add(text);
        }

        return dims;
    }

    private static string ElementName(long code) =>
        code >= 0 && code < ElementTypes.Length ? ElementTypes[code] : $"type{code.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A bounds-checked reader of protobuf wire format; any inconsistency is a <see cref="FormatException"/>.</summary>
    private ref struct WireReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public bool Next(out int field, out int wire)
        {
            field = wire = 0;
            if (_position >= _data.Length)
            {
                return false;
            }

            var tag = Varint();
            field = (int)(tag >> 3);
            wire = (int)(tag & 7);
            if (field <= 0 || wire is 3 or 4 or 6 or 7)
            {
                throw new FormatException($"invalid protobuf tag at byte {_position}");
            }

            return true;
        }

        public long Varint()
        {
            ulong result = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                if (_position >= _data.Length)
                {
                    throw new FormatException("it ends in the middle of a number");
                }

                var b = _data[_position++];
                result |= (ulong)(b & 0x7f) << shift;
                if ((b & 0x80) == 0)
                {
                    return (long)result;
                }
            }

            throw new FormatException($"malformed varint at byte {_position}");
        }

        public ReadOnlySpan<byte> Bytes()
        {
            var length = Varint();
            if (length < 0 || length > _data.Length - _position)
            {
                throw new FormatException($"a field at byte {_position} claims {length} bytes but the data ends before that");
            }

            var slice = _data.Slice(_position, (int)length);
            _position += (int)length;
            return slice;
        }

        public string Text()
        {
            try
            {
                return new System.Text.UTF8Encoding(false, true).GetString(Bytes());
            }
            catch (System.Text.DecoderFallbackException)
            {
                throw new FormatException("a text field is not UTF-8");
            }
        }

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0: Varint(); break;
                case 1: Advance(8); break;
                case 2: Bytes(); break;
                case 5: Advance(4); break;
                default: throw new FormatException($"unsupported wire type {wire}");
            }
        }

        private void Advance(int count)
        {
            if (count > _data.Length - _position)
            {
                throw new FormatException("it ends in the middle of a field");
            }

            _position += count;
        }
    }
}
