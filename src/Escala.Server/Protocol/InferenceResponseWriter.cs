using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Escala.Onnx.Tensors;

namespace Escala.Server.Protocol;

/// <summary>
/// Writes an Open Inference Protocol v2 response body (<c>{"model_name","model_version","id","outputs":[...]}</c>)
/// with a <see cref="Utf8JsonWriter"/>: NaN and infinities as the strings "NaN", "Infinity", "-Infinity";
/// a map sequence (ZipMap) as <c>"datatype":"SEQ_MAP"</c> with <c>data</c> a list of label-to-probability objects.
/// </summary>
public static class InferenceResponseWriter
{
    /// <summary>The response body as UTF-8 bytes.</summary>
    public static byte[] ToBytes(string modelName, string? modelVersion, string? id, IReadOnlyList<NamedValue> outputs)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, modelName, modelVersion, id, outputs);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the response object to <paramref name="writer"/>.</summary>
    public static void Write(Utf8JsonWriter writer, string modelName, string? modelVersion, string? id, IReadOnlyList<NamedValue> outputs)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(outputs);
        writer.WriteStartObject();
        writer.WriteString("model_name"u8, modelName);
        if (modelVersion is not null)
        {
            writer.WriteString("model_version"u8, modelVersion);
        }

        if (id is not null)
        {
            writer.WriteString("id"u8, id);
        }

        writer.WriteStartArray("outputs"u8);
        foreach (var output in outputs)
        {
            WriteOutput(writer, output);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteOutput(Utf8JsonWriter writer, NamedValue output)
    {
        writer.WriteStartObject();
        writer.WriteString("name"u8, output.Name);
        switch (output.Value)
        {
            case OnnxTensor tensor:
                TensorJson.WriteShapeTypeAndData(writer, tensor);
                break;
            case OnnxMapSequence maps:
                writer.WriteStartArray("shape"u8);
                writer.WriteNumberValue(maps.Count);
                writer.WriteEndArray();
                writer.WriteString("datatype"u8, OipDatatype.SequenceOfMaps);
                writer.WritePropertyName("data"u8);
                WriteMaps(writer, maps);
                break;
            default:
                throw new NotSupportedException($"Output '{output.Name}' is {output.Value.Type}, which the protocol cannot carry.");
        }

        writer.WriteEndObject();
    }

    private static void WriteMaps(Utf8JsonWriter writer, OnnxMapSequence maps)
    {
        writer.WriteStartArray();
        switch (maps)
        {
            case OnnxMapSequence<string> s:
                for (var i = 0; i < s.Count; i++)
                {
                    var row = s.Row(i);
                    writer.WriteStartObject();
                    for (var j = 0; j < row.Length; j++)
                    {
                        writer.WritePropertyName(s.Keys[j]);
                        TensorJson.WriteFloat(writer, row[j]);
                    }

                    writer.WriteEndObject();
                }

                break;
            case OnnxMapSequence<long> l:
                Span<char> key = stackalloc char[24];
                for (var i = 0; i < l.Count; i++)
                {
                    var row = l.Row(i);
                    writer.WriteStartObject();
                    for (var j = 0; j < row.Length; j++)
                    {
                        l.Keys[j].TryFormat(key, out var written, default, CultureInfo.InvariantCulture);
                        writer.WritePropertyName(key[..written]);
                        TensorJson.WriteFloat(writer, row[j]);
                    }

                    writer.WriteEndObject();
                }

                break;
            default:
                throw new NotSupportedException($"Cannot write {maps.Type}.");
        }

        writer.WriteEndArray();
    }
}
