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
                TensorJson.WriteShapeTypeAndData(writer, tensor);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
