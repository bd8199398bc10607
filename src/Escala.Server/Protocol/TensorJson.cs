using System.Text.Json;
using Escala.Onnx.Tensors;

namespace Escala.Server.Protocol;

/// <summary>
/// A tensor as the Open Inference Protocol v2 writes it, in requests and responses alike: <c>"shape"</c>,
/// <c>"datatype"</c> (<see cref="OipDatatype"/>) and <c>"data"</c>, flattened in row-major order, with NaN and
/// infinities as the strings <c>"NaN"</c>, <c>"Infinity"</c> and <c>"-Infinity"</c> that the readers accept.
/// </summary>
internal static class TensorJson
{
    /// <summary>Writes the <c>shape</c>, <c>datatype</c> and <c>data</c> properties of <paramref name="tensor"/> into the open object.</summary>
    public static void WriteShapeTypeAndData(Utf8JsonWriter writer, OnnxTensor tensor)
    {
        writer.WriteStartArray("shape"u8);
        foreach (var d in tensor.Shape)
        {
            writer.WriteNumberValue(d);
        }

        writer.WriteEndArray();
        writer.WriteString("datatype"u8, OipDatatype.FromElementType(tensor.ElementType));
        writer.WritePropertyName("data"u8);
        WriteData(writer, tensor);
    }

    /// <summary>Writes the tensor's elements as one flat JSON array.</summary>
    public static void WriteData(Utf8JsonWriter writer, OnnxTensor tensor)
    {
        writer.WriteStartArray();
        switch (tensor)
        {
            case OnnxTensor<float> t:
                foreach (var v in t.Span)
                {
                    WriteFloat(writer, v);
                }

                break;
            case OnnxTensor<double> t:
                foreach (var v in t.Span)
                {
                    WriteDouble(writer, v);
                }

                break;
            case OnnxTensor<Half> t:
                foreach (var v in t.Span)
                {
                    WriteFloat(writer, (float)v);
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
            case OnnxTensor<short> t:
                foreach (var v in t.Span)
                {
                    writer.WriteNumberValue(v);
                }

                break;
            case OnnxTensor<sbyte> t:
                foreach (var v in t.Span)
                {
                    writer.WriteNumberValue(v);
                }

                break;
            case OnnxTensor<ulong> t:
                foreach (var v in t.Span)
                {
                    writer.WriteNumberValue(v);
                }

                break;
            case OnnxTensor<uint> t:
                foreach (var v in t.Span)
                {
                    writer.WriteNumberValue(v);
                }

                break;
            case OnnxTensor<ushort> t:
                foreach (var v in t.Span)
                {
                    writer.WriteNumberValue(v);
                }

                break;
            case OnnxTensor<byte> t:
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
                throw new NotSupportedException($"The protocol cannot carry {tensor}.");
        }

        writer.WriteEndArray();
    }

    /// <summary>Writes one float, non-finite values as the protocol's strings.</summary>
    public static void WriteFloat(Utf8JsonWriter writer, float v)
    {
        if (float.IsFinite(v))
        {
            writer.WriteNumberValue(v);
        }
        else
        {
            writer.WriteStringValue(float.IsNaN(v) ? "NaN"u8 : v > 0 ? "Infinity"u8 : "-Infinity"u8);
        }
    }

    private static void WriteDouble(Utf8JsonWriter writer, double v)
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
