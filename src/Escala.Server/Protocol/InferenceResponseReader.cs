using System.Globalization;
using System.Text.Json;
using Escala.Onnx.Tensors;

namespace Escala.Server.Protocol;

/// <summary>A parsed Open Inference Protocol v2 response: the model and version that answered, and the outputs by name in order.</summary>
public sealed record InferenceResponse(string? ModelName, string? ModelVersion, string? Id, IReadOnlyList<NamedValue> Outputs);

/// <summary>
/// Reads an Open Inference Protocol v2 response body, the client side of <see cref="InferenceResponseWriter"/>:
/// what an external backend (Triton, KServe, MLServer, another Escala) answered. Tensor data is read by the same
/// <see cref="TensorDataReader"/> requests use; a <c>SEQ_MAP</c> output (a list of label -> probability objects, as
/// Escala writes ZipMap outputs) becomes a map sequence keyed by int64 when every label is an integer, else by string.
/// </summary>
public static class InferenceResponseReader
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 32 };

    /// <summary>Parses <paramref name="json"/>; throws <see cref="InferenceProtocolException"/> naming the output at fault.</summary>
    public static InferenceResponse Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, Options);
        string? model = null, version = null, id = null;
        List<NamedValue>? outputs = null;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new InferenceProtocolException(ProtocolErrorKind.InvalidJson, null, "The response body must be a JSON object.");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("outputs"u8))
                {
                    reader.Read();
                    outputs = ReadOutputs(ref reader, json.Length);
                }
                else if (reader.ValueTextEquals("model_name"u8))
                {
                    reader.Read();
                    model = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                else if (reader.ValueTextEquals("model_version"u8))
                {
                    reader.Read();
                    version = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                else if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    id = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException e)
        {
            throw new InferenceProtocolException(ProtocolErrorKind.InvalidJson, null, $"The response body is not valid JSON: {e.Message}");
        }

        return new InferenceResponse(model, version, id,
            outputs ?? throw new InferenceProtocolException(ProtocolErrorKind.MissingField, null, "The response has no 'outputs' array."));
    }

    private static List<NamedValue> ReadOutputs(ref Utf8JsonReader reader, long length)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new InferenceProtocolException(ProtocolErrorKind.MissingField, null, "'outputs' must be an array.");
        }

        var outputs = new List<NamedValue>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            outputs.Add(ReadOutput(ref reader, length));
        }

        return outputs;
    }

    private static NamedValue ReadOutput(ref Utf8JsonReader reader, long length)
    {
        string? name = null, datatype = null;
        int[]? shape = null;
        OnnxValue? value = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                name = reader.GetString();
            }
            else if (reader.ValueTextEquals("datatype"u8))
            {
                reader.Read();
                datatype = reader.GetString();
            }
            else if (reader.ValueTextEquals("shape"u8))
            {
                reader.Read();
                var dims = new List<int>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    dims.Add(reader.GetInt32());
                }

                shape = [.. dims];
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                var label = name ?? "?";
                if (datatype == OipDatatype.SequenceOfMaps)
                {
                    value = ReadMaps(ref reader, label);
                }
                else if (datatype is not null && OipDatatype.ToElementType(datatype) is { } type)
                {
                    value = TensorDataReader.Read(ref reader, type, shape, label, length - reader.BytesConsumed);
                }
                else
                {
                    throw new InferenceProtocolException(ProtocolErrorKind.UnknownDatatype, label,
                        $"Output '{label}': put 'datatype' (a known one) before 'data'; got '{datatype}'.");
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (name is null || value is null)
        {
            throw new InferenceProtocolException(ProtocolErrorKind.MissingField, name, $"Output '{name ?? "?"}' lacks a name, datatype or data.");
        }

        return new NamedValue(name, value);
    }

    private static OnnxMapSequence ReadMaps(ref Utf8JsonReader reader, string name)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new InferenceProtocolException(ProtocolErrorKind.MissingField, name, $"Output '{name}': SEQ_MAP data must be a list of objects.");
        }

        List<string>? keys = null;
        var values = new List<float>();
        var row = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var column = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = reader.GetString()!;
                if (row == 0)
                {
                    (keys ??= []).Add(key);
                }
                else if (keys is null || column >= keys.Count || keys[column] != key)
                {
                    throw new InferenceProtocolException(ProtocolErrorKind.ShapeMismatch, name, $"Output '{name}': every map must have the same labels in the same order.");
                }

                reader.Read();
                values.Add(reader.TokenType == JsonTokenType.String
                    ? reader.GetString() switch { "NaN" => float.NaN, "Infinity" => float.PositiveInfinity, "-Infinity" => float.NegativeInfinity, var s => throw new InferenceProtocolException(ProtocolErrorKind.InvalidValue, name, $"Output '{name}': '{s}' is not a probability.") }
                    : reader.GetSingle());
                column++;
            }

            row++;
        }

        keys ??= [];
        var numeric = keys.Select(k => long.TryParse(k, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? (long?)n : null).ToArray();
        return numeric.All(k => k is not null)
            ? new OnnxMapSequence<long>([.. numeric.Select(k => k!.Value)], [.. values])
            : new OnnxMapSequence<string>([.. keys], [.. values]);
    }
}
