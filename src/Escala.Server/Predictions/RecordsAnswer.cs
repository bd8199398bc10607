using System.Text.Json;
using Escala.Onnx.Tensors;

namespace Escala.Server.Predictions;

/// <summary>
/// Writes a model's outputs as one JSON object per row, output by name: a scalar for an output of
/// one value per row (<c>[N]</c>), an array for a wider one (<c>[N,k]</c>), an object label ->
/// probability for a ZipMap output. NaN and infinities are written as the strings "NaN",
/// "Infinity", "-Infinity". Outputs that are not per row (their first dimension is not N) are
/// written once, under <c>extra</c>.
/// </summary>
public static class RecordsAnswer
{
    /// <summary>Writes the array of <paramref name="rows"/> prediction objects for <paramref name="outputs"/> in <paramref name="order"/>.</summary>
    public static void WritePredictions(Utf8JsonWriter writer, IReadOnlyList<OnnxValueInfo> order, IReadOnlyDictionary<string, OnnxValue> outputs, int rows)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(outputs);
        writer.WriteStartArray();
        for (var row = 0; row < rows; row++)
        {
            writer.WriteStartObject();
            foreach (var info in order)
            {
                if (outputs.TryGetValue(info.Name, out var value) && IsPerRow(value, rows))
                {
                    writer.WritePropertyName(info.Name);
                    WriteRow(writer, value, row, rows);
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>Writes the <paramref name="rows"/> copies of a default answer row.</summary>
    public static void WriteDefault(Utf8JsonWriter writer, JsonElement row, int rows)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        for (var i = 0; i < rows; i++)
        {
            row.WriteTo(writer);
        }

        writer.WriteEndArray();
    }

    /// <summary>Whether any output is not per row (and so belongs under <c>extra</c>).</summary>
    public static bool HasExtra(IReadOnlyDictionary<string, OnnxValue> outputs, int rows) => outputs.Values.Any(v => !IsPerRow(v, rows));

    /// <summary>Writes the outputs that are not per row, whole, as an object by name.</summary>
    public static void WriteExtra(Utf8JsonWriter writer, IReadOnlyList<OnnxValueInfo> order, IReadOnlyDictionary<string, OnnxValue> outputs, int rows)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(outputs);
        writer.WriteStartObject();
        foreach (var info in order)
        {
            if (outputs.TryGetValue(info.Name, out var value) && !IsPerRow(value, rows) && value is OnnxTensor tensor)
            {
                writer.WritePropertyName(info.Name);
                writer.WriteStartArray();
                WriteElements(writer, tensor, 0, tensor.Length);
                writer.WriteEndArray();
            }
        }

        writer.WriteEndObject();
    }

    private static bool IsPerRow(OnnxValue value, int rows) => value switch
    {
        OnnxTensor t => t.Rank >= 1 && t.Dim(0) == rows,
        OnnxMapSequence m => m.Count == rows,
        _ => false,
    };

    private static void WriteRow(Utf8JsonWriter writer, OnnxValue value, int row, int rows)
    {
        switch (value)
        {
            case OnnxTensor tensor:
                var width = tensor.Length / rows;
                if (tensor.Rank == 1)
                {
                    WriteElements(writer, tensor, row, 1);
                }
                else
                {
                    writer.WriteStartArray();
                    WriteElements(writer, tensor, row * width, width);
                    writer.WriteEndArray();
                }

                break;
            case OnnxMapSequence<long> byLong:
                writer.WriteStartObject();
                var longRow = byLong.Row(row);
                for (var j = 0; j < byLong.Keys.Length; j++)
                {
                    writer.WritePropertyName(byLong.Keys[j].ToString(System.Globalization.CultureInfo.InvariantCulture));
                    WriteNumber(writer, longRow[j]);
                }

                writer.WriteEndObject();
                break;
            case OnnxMapSequence<string> byString:
                writer.WriteStartObject();
                var stringRow = byString.Row(row);
                for (var j = 0; j < byString.Keys.Length; j++)
                {
                    writer.WritePropertyName(byString.Keys[j]);
                    WriteNumber(writer, stringRow[j]);
                }

                writer.WriteEndObject();
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    private static void WriteElements(Utf8JsonWriter writer, OnnxTensor tensor, int start, int count)
    {
        switch (tensor)
        {
            case OnnxTensor<float> f:
                foreach (var v in f.Span.Slice(start, count))
                {
                    WriteNumber(writer, v);
                }

                break;
            case OnnxTensor<double> d:
                foreach (var v in d.Span.Slice(start, count))
                {
                    WriteNumber(writer, v);
                }

                break;
            case OnnxTensor<long> l:
                foreach (var v in l.Span.Slice(start, count))
                {
                    writer.WriteNumberValue(v);
                }

                break;
            case OnnxTensor<int> i:
                foreach (var v in i.Span.Slice(start, count))
                {
                    writer.WriteNumberValue(v);
                }

                break;
            case OnnxTensor<bool> b:
                foreach (var v in b.Span.Slice(start, count))
                {
                    writer.WriteBooleanValue(v);
                }

                break;
            case OnnxTensor<string> s:
                foreach (var v in s.Span.Slice(start, count))
                {
                    writer.WriteStringValue(v);
                }

                break;
            default:
                // Element types the records API does not render (e.g. float16) are given as their text form.
                writer.WriteStringValue(tensor.ToString());
                break;
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, float value)
    {
        if (float.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(float.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }
}
