using System.Text.Json;
using Escala.Onnx.Tensors;

namespace Escala.Server.Protocol;

/// <summary>
/// Parses an Open Inference Protocol v2 request body (<c>{"id", "inputs":[{"name","shape","datatype","data"}], "outputs"}</c>)
/// into engine tensors with a forward-only <see cref="Utf8JsonReader"/>: no reflection, data written straight
/// into typed arrays. Every problem is an <see cref="InferenceProtocolException"/> naming the input.
/// </summary>
public static class InferenceRequestReader
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 32, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>Parses <paramref name="json"/>; when <paramref name="signature"/> is given, inputs are checked against it.</summary>
    public static InferenceRequest Read(ReadOnlySpan<byte> json, IReadOnlyList<OnnxValueInfo>? signature = null)
    {
        var reader = new Utf8JsonReader(json, Options);
        string? id = null;
        Dictionary<string, OnnxValue>? inputs = null;
        List<string>? outputs = null;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw Body(ProtocolErrorKind.InvalidJson, "The request body must be a JSON object.");
            }

            var seen = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("inputs"u8))
                {
                    Once(ref seen, 1, "inputs", null);
                    reader.Read();
                    inputs = ReadInputs(ref reader, json);
                }
                else if (reader.ValueTextEquals("id"u8))
                {
                    Once(ref seen, 2, "id", null);
                    reader.Read();
                    id = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw Body(ProtocolErrorKind.MissingField, "'id' must be a string.");
                }
                else if (reader.ValueTextEquals("outputs"u8))
                {
                    Once(ref seen, 4, "outputs", null);
                    reader.Read();
                    outputs = ReadOutputs(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                throw Body(ProtocolErrorKind.InvalidJson, "The request body has content after its JSON object.");
            }
        }
        catch (JsonException e)
        {
            throw Body(ProtocolErrorKind.InvalidJson, $"The request body is not valid JSON: {e.Message}");
        }

        if (inputs is null)
        {
            throw Body(ProtocolErrorKind.MissingField, "The request has no 'inputs' array.");
        }

        if (signature is not null)
        {
            SignatureCheck.Check(inputs, signature);
        }

        return new InferenceRequest(id, inputs, outputs);
    }

    // A property given twice would otherwise be "last one wins" (a second shape or data quietly replacing the first).
    private static void Once(ref int seen, int bit, string property, string? input)
    {
        if ((seen & bit) != 0)
        {
            throw Body(ProtocolErrorKind.InvalidJson, input is null
                ? $"'{property}' appears more than once in the request; send each property once."
                : $"Input '{input}' has '{property}' more than once; send each property once.");
        }

        seen |= bit;
    }

    private static Dictionary<string, OnnxValue> ReadInputs(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Body(ProtocolErrorKind.MissingField, "'inputs' must be an array.");
        }

        var inputs = new Dictionary<string, OnnxValue>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var (name, value) = ReadInput(ref reader, json);
            if (!inputs.TryAdd(name, value))
            {
                throw new InferenceProtocolException(ProtocolErrorKind.DuplicateInput, name, $"Input '{name}' is given more than once.");
            }
        }

        return inputs;
    }

    private static (string Name, OnnxTensor Value) ReadInput(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Body(ProtocolErrorKind.MissingField, "Each entry of 'inputs' must be an object.");
        }

        string? name = null;
        int[]? shape = null;
        ElementType? type = null;
        string? datatype = null;
        OnnxTensor? value = null;
        (int Start, int End)? deferred = null;
        var seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                Once(ref seen, 1, "name", name);
                reader.Read();
                name = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw Body(ProtocolErrorKind.MissingField, "An input's 'name' must be a string.");
            }
            else if (reader.ValueTextEquals("shape"u8))
            {
                Once(ref seen, 2, "shape", name);
                reader.Read();
                shape = ReadShape(ref reader, name);
            }
            else if (reader.ValueTextEquals("datatype"u8))
            {
                Once(ref seen, 4, "datatype", name);
                reader.Read();
                datatype = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                type = OipDatatype.ToElementType(datatype);
                if (type is null)
                {
                    throw new InferenceProtocolException(
                        ProtocolErrorKind.UnknownDatatype,
                        name,
                        $"Input '{name ?? "?"}' has datatype '{datatype}'; use FP32, FP64, FP16, INT64, INT32, INT16, INT8, UINT64, UINT32, UINT16, UINT8, BOOL or BYTES.");
                }
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                Once(ref seen, 8, "data", name);
                reader.Read();
                if (type is { } t && shape is not null && name is not null)
                {
                    value = TensorDataReader.Read(ref reader, t, shape, name, json.Length - reader.BytesConsumed);
                }
                else
                {
                    // Members in an unusual order: remember where the data is and read it once the rest is known.
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    deferred = (start, (int)reader.BytesConsumed);
                }
            }
            else if (reader.ValueTextEquals("parameters"u8))
            {
                Once(ref seen, 16, "parameters", name);
                reader.Read();
                if (ContainsProperty(ref reader, "binary_data_size"u8))
                {
                    throw new InferenceProtocolException(ProtocolErrorKind.Unsupported, name, $"Input '{name ?? "?"}' uses the binary tensor data extension, which this server does not support; send the data as JSON.");
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (name is null)
        {
            throw Body(ProtocolErrorKind.MissingField, "An input has no 'name'.");
        }

        if (type is null)
        {
            throw new InferenceProtocolException(ProtocolErrorKind.MissingField, name, $"Input '{name}' has no 'datatype'.");
        }

        if (shape is null)
        {
            throw new InferenceProtocolException(ProtocolErrorKind.MissingField, name, $"Input '{name}' has no 'shape'.");
        }

        if (value is null)
        {
            if (deferred is not { } range)
            {
                throw new InferenceProtocolException(ProtocolErrorKind.MissingField, name, $"Input '{name}' has no 'data'.");
            }

            var inner = new Utf8JsonReader(json[range.Start..range.End], Options);
            inner.Read();
            value = TensorDataReader.Read(ref inner, type.Value, shape, name, range.End - range.Start);
        }

        return (name, value);
    }

    private static int[] ReadShape(ref Utf8JsonReader reader, string? name)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new InferenceProtocolException(ProtocolErrorKind.MissingField, name, $"Input '{name ?? "?"}': 'shape' must be an array of non-negative integers.");
        }

        var dims = new List<int>(4);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var d) || d < 0 || dims.Count >= 32)
            {
                throw new InferenceProtocolException(ProtocolErrorKind.ShapeMismatch, name, $"Input '{name ?? "?"}': 'shape' must be at most 32 non-negative integers.");
            }

            dims.Add(d);
        }

        var shape = dims.ToArray();
        long size = 1;
        foreach (var d in shape)
        {
            size *= d;
            if (size > TensorShape.MaxElements)
            {
                throw new InferenceProtocolException(ProtocolErrorKind.ShapeMismatch, name, $"Input '{name ?? "?"}': shape [{TensorShape.Format(shape)}] is too large.");
            }
        }

        return shape;
    }

    private static List<string> ReadOutputs(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Body(ProtocolErrorKind.MissingField, "'outputs' must be an array.");
        }

        var names = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw Body(ProtocolErrorKind.MissingField, "Each entry of 'outputs' must be an object with a 'name'.");
            }

            string? name = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isName = reader.ValueTextEquals("name"u8);
                reader.Read();
                if (isName && reader.TokenType == JsonTokenType.String)
                {
                    name = reader.GetString();
                }
                else
                {
                    reader.Skip();
                }
            }

            names.Add(name ?? throw Body(ProtocolErrorKind.MissingField, "An entry of 'outputs' has no 'name'."));
        }

        return names;
    }

    private static bool ContainsProperty(ref Utf8JsonReader reader, ReadOnlySpan<byte> property)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return false;
        }

        var found = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            found |= reader.ValueTextEquals(property);
            reader.Read();
            reader.Skip();
        }

        return found;
    }

    private static InferenceProtocolException Body(ProtocolErrorKind kind, string message) => new(kind, null, message);
}
