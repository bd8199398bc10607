using System.Buffers;
using System.Text.Json;
using Escala.Onnx.Tensors;

namespace Escala.Server.Protocol;

/// <summary>
/// Writes an Open Inference Protocol v2 request body (<c>{"id","inputs":[{"name","shape","datatype","data"}]}</c>),
/// the client side of <see cref="InferenceRequestReader"/>: what the gateway sends to an external backend.
/// Datatype names come from <see cref="OipDatatype"/>; NaN and infinities are the strings the reader accepts.
/// </summary>
public static class InferenceRequestWriter
{
    /// <summary>The request body for <paramref name="inputs"/> (tensors only), optionally with an id.</summary>
    public static byte[] ToBytes(IReadOnlyDictionary<string, OnnxValue> inputs, string? id = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (id is not null)
            {
                writer.WriteString("id"u8, id);
            }

            writer.WriteStartArray("inputs"u8);
            foreach (var (name, value) in inputs)
            {
                if (value is not OnnxTensor tensor)
                {
                    throw new NotSupportedException($"Input '{name}' is {value.Type}; the protocol carries tensors only.");
                }

                writer.WriteStartObject();
                writer.WriteString("name"u8, name);
                writer.WriteStartArray("shape"u8);
                foreach (var d in tensor.Shape)
                {
                    writer.WriteNumberValue(d);
                }

                writer.WriteEndArray();
                writer.WriteString("datatype"u8, OipDatatype.FromElementType(tensor.ElementType));
                writer.WritePropertyName("data"u8);
                WriteData(writer, tensor);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteData(Utf8JsonWriter writer, OnnxTensor tensor)
    {
        writer.WriteStartArray();
        switch (tensor)
        {
            case OnnxTensor<float> t:
                foreach (var v in t.Span)
                {
                    WriteFloating(writer, v);
                }

                break;
            case OnnxTensor<double> t:
                foreach (var v in t.Span)
                {
                    WriteFloating(writer, v);
                }

                break;
            case OnnxTensor<long> t:
                foreach (var v in t.Span)
                {
                    writer.WriteNumberValue(v);
                }

                break;
            case OnnxTensor<int> t:
                foreach (var v in t.Span)
                {
                    writer.WriteNumberValue(v);
                }

                break;
            case OnnxTensor<bool> t:
                foreach (var v in t.Span)
                {
                    writer.WriteBooleanValue(v);
                }

                break;
            case OnnxTensor<string> t:
                foreach (var v in t.Span)
                {
                    writer.WriteStringValue(v);
                }

                break;
            default:
                throw new NotSupportedException($"Cannot send {tensor} to an external backend (supported: FP32, FP64, INT64, INT32, BOOL, BYTES).");
        }

        writer.WriteEndArray();
    }

    private static void WriteFloating(Utf8JsonWriter writer, double v)
    {
        if (double.IsFinite(v))
        {
            writer.WriteNumberValue(v);
        }
        else
        {
            writer.WriteStringValue(double.IsNaN(v) ? "NaN"u8 : v > 0 ? "Infinity"u8 : "-Infinity"u8);
        }
    }
}
