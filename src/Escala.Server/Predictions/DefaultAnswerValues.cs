using System.Globalization;
using System.Text.Json;
using Escala.Onnx.Tensors;
using Escala.Server.Protocol;

namespace Escala.Server.Predictions;

/// <summary>
/// Turns an endpoint's default answer (one row of outputs by name) into protocol outputs for a
/// request of N rows: a number becomes a tensor [N] (of the output's declared element type when the
/// routed version declares it, else FP64), an array of numbers a tensor [N, k], a string BYTES, a
/// boolean BOOL, and an object of numbers (label -> probability) a SEQ_MAP.
/// </summary>
public static class DefaultAnswerValues
{
    /// <summary>The outputs for <paramref name="rows"/> rows.</summary>
    public static IReadOnlyList<NamedValue> Build(JsonElement row, int rows, IReadOnlyList<OnnxValueInfo> declared)
    {
        ArgumentNullException.ThrowIfNull(declared);
        var outputs = new List<NamedValue>();
        foreach (var property in row.EnumerateObject())
        {
            var type = declared.FirstOrDefault(d => d.Name == property.Name)?.Type;
            var value = property.Value;
            OnnxValue built = value.ValueKind switch
            {
                JsonValueKind.Number or JsonValueKind.String or JsonValueKind.True or JsonValueKind.False => Repeat([value], rows, [rows], type),
                JsonValueKind.Array => Repeat([.. value.EnumerateArray()], rows, [rows, value.GetArrayLength()], type),
                JsonValueKind.Object => Maps(value, rows),
                _ => Repeat([value], rows, [rows], type),
            };
            outputs.Add(new NamedValue(property.Name, built));
        }

        return outputs;
    }

    private static OnnxTensor Repeat(JsonElement[] one, int rows, int[] shape, OnnxTypeInfo? declared)
    {
        var first = one.Length == 0 ? default : one[0];
        var element = declared is { Kind: OnnxTypeKind.Tensor } t ? t.ElementType : first.ValueKind switch
        {
            JsonValueKind.String => ElementType.String,
            JsonValueKind.True or JsonValueKind.False => ElementType.Bool,
            _ => ElementType.Double,
        };
        return element switch
        {
            ElementType.Float => Fill(one, rows, shape, e => (float)Number(e)),
            ElementType.Int64 => Fill(one, rows, shape, e => (long)Number(e)),
            ElementType.Int32 => Fill(one, rows, shape, e => (int)Number(e)),
            ElementType.Bool => Fill(one, rows, shape, e => e.ValueKind == JsonValueKind.True),
            ElementType.String => Fill(one, rows, shape, e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()),
            _ => Fill(one, rows, shape, Number),
        };
    }

    private static OnnxTensor<T> Fill<T>(JsonElement[] one, int rows, int[] shape, Func<JsonElement, T> convert)
    {
        var row = one.Select(convert).ToArray();
        var data = new T[rows * row.Length];
        for (var r = 0; r < rows; r++)
        {
            row.CopyTo(data, r * row.Length);
        }

        return new OnnxTensor<T>(data, shape);
    }

    private static double Number(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.True => 1,
        JsonValueKind.String => e.GetString() switch { "Infinity" => double.PositiveInfinity, "-Infinity" => double.NegativeInfinity, _ => double.NaN },
        _ => double.NaN,
    };

    private static OnnxMapSequence Maps(JsonElement map, int rows)
    {
        var keys = map.EnumerateObject().Select(p => p.Name).ToArray();
        var values = map.EnumerateObject().Select(p => (float)Number(p.Value)).ToArray();
        var data = new float[rows * values.Length];
        for (var r = 0; r < rows; r++)
        {
            values.CopyTo(data, r * values.Length);
        }

        var numeric = keys.All(k => long.TryParse(k, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _));
        return numeric
            ? new OnnxMapSequence<long>([.. keys.Select(k => long.Parse(k, CultureInfo.InvariantCulture))], data)
            : new OnnxMapSequence<string>(keys, data);
    }
}
