using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using Escala.Onnx.Tensors;
using Escala.Server.Serving;

namespace Escala.Server.Predictions;

/// <summary>
/// The records API's inputs: <c>{"records": [{feature: value, ...}, ...]}</c>, one object per row,
/// mapped to the model's inputs by name. A field named like an input feeds that input: a scalar
/// for an input of one value per row (<c>[N]</c> or <c>[N,1]</c>), an array for a wider one
/// (<c>[N,4]</c>). A model with a single vector input of width k, whose name no record uses, takes
/// the record's k values in order, so a CSV row of features can be sent as it is.
/// Null feeds NaN to float inputs (a missing value, which imputers expect); "NaN", "Infinity"
/// and "-Infinity" are accepted for floats. Fields no input uses are ignored.
/// </summary>
public sealed class RecordsPayload : IPredictionPayload
{
    /// <summary>The most records one request may hold.</summary>
    public const int MaxRecords = 100_000;

    private readonly JsonElement _records;
    private IReadOnlyList<OnnxValueInfo>? _decodedFor;
    private IReadOnlyDictionary<string, OnnxValue>? _decoded;

    private RecordsPayload(JsonElement records, string? subject)
    {
        _records = records;
        Rows = records.GetArrayLength();
        Subject = subject;
    }

    /// <inheritdoc/>
    public int Rows { get; }

    /// <summary>The top-level <c>subject</c> field, if any.</summary>
    public string? Subject { get; }

    /// <summary>The records array as sent.</summary>
    public JsonElement Records => _records;

    /// <summary>Reads the body's shape; false with a message when it is not <c>{"records": [objects]}</c>.</summary>
    public static bool TryRead(JsonElement body, [NotNullWhen(true)] out RecordsPayload? payload, [NotNullWhen(false)] out string? problem)
    {
        payload = null;
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("records", out var records))
        {
            problem = "The body must be a JSON object with a \"records\" array, e.g. {\"records\": [{\"age\": 41, \"income\": 52000}]}.";
            return false;
        }

        if (records.ValueKind != JsonValueKind.Array || records.GetArrayLength() == 0)
        {
            problem = "\"records\" must be a non-empty array of objects, one per row.";
            return false;
        }

        if (records.GetArrayLength() > MaxRecords)
        {
            problem = $"\"records\" has {records.GetArrayLength()} rows; send at most {MaxRecords} per request (escala batch streams larger files).";
            return false;
        }

        var index = 0;
        foreach (var record in records.EnumerateArray())
        {
            if (record.ValueKind != JsonValueKind.Object)
            {
                problem = $"records[{index}] is {Describe(record)}, not an object of features.";
                return false;
            }

            index++;
        }

        string? subject = null;
        if (body.TryGetProperty("subject", out var s) && s.ValueKind is JsonValueKind.String or JsonValueKind.Number)
        {
            subject = s.ValueKind == JsonValueKind.String ? s.GetString() : s.GetRawText();
        }

        payload = new RecordsPayload(records, subject);
        problem = null;
        return true;
    }

    /// <summary>The value of <paramref name="field"/> in the first record, as text, for sticky assignment.</summary>
    public string? FieldOfFirstRecord(string field)
    {
        var first = _records[0];
        return first.TryGetProperty(field, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? (value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText())
            : null;
    }

    /// <inheritdoc/>
    public bool TryDecode(
        IReadOnlyList<OnnxValueInfo> signature,
        [NotNullWhen(true)] out IReadOnlyDictionary<string, OnnxValue>? inputs,
        [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(signature);
        if (ReferenceEquals(signature, _decodedFor) && _decoded is not null)
        {
            inputs = _decoded;
            problem = null;
            return true;
        }

        var decoded = new Dictionary<string, OnnxValue>(signature.Count, StringComparer.Ordinal);
        var byPosition = signature.Count == 1 && !AnyRecordHas(signature[0].Name);
        foreach (var input in signature)
        {
            var tensor = Decode(input, signature, byPosition, out var why);
            if (tensor is null)
            {
                inputs = null;
                problem = why ?? $"The input '{input.Name}' cannot be read from the records.";
                return false;
            }

            decoded[input.Name] = tensor;
        }

        _decodedFor = signature;
        _decoded = decoded;
        inputs = decoded;
        problem = null;
        return true;
    }

    private bool AnyRecordHas(string name)
    {
        foreach (var record in _records.EnumerateArray())
        {
            if (record.TryGetProperty(name, out _))
            {
                return true;
            }
        }

        return false;
    }

    private OnnxTensor? Decode(OnnxValueInfo input, IReadOnlyList<OnnxValueInfo> signature, bool byPosition, out string? problem)
    {
        if (input.Type.Kind != OnnxTypeKind.Tensor)
        {
            problem = $"The model's input '{input.Name}' is {input.Type}, which records cannot feed; use the Open Inference Protocol route.";
            return null;
        }

        var dims = input.Type.Shape;
        if (dims is { Count: > 0 } && dims[0].Value is { } batch && batch != Rows)
        {
            problem = $"The model's input '{input.Name}' takes exactly {batch} row(s) per call ({input.Type}); send {batch} record(s), not {Rows}.";
            return null;
        }

        // Values per row: the product of the fixed dims after the first, or learnt from the first record.
        var width = 1;
        var widthKnown = true;
        if (dims is { Count: > 1 })
        {
            foreach (var d in dims.Skip(1))
            {
                if (d.Value is { } v)
                {
                    width *= (int)v;
                }
                else
                {
                    widthKnown = false;
                }
            }
        }
        else if (dims is null)
        {
            widthKnown = false;
        }

        var values = new List<JsonElement>(Rows * Math.Max(1, width));
        var row = 0;
        foreach (var record in _records.EnumerateArray())
        {
            var start = values.Count;
            if (byPosition)
            {
                foreach (var property in record.EnumerateObject())
                {
                    Flatten(property.Value, values);
                }
            }
            else if (record.TryGetProperty(input.Name, out var value))
            {
                if (Ragged(value))
                {
                    problem = $"records[{row}].{input.Name} is a ragged array (nested arrays of different lengths, or arrays mixed with values); send equal-length rows or a flat list.";
                    return null;
                }

                Flatten(value, values);
            }
            else
            {
                problem = $"records[{row}] has no field '{input.Name}', which the model needs (its inputs: {string.Join(", ", signature.Select(i => i.Name))}).";
                return null;
            }

            var count = values.Count - start;
            if (!widthKnown && row == 0)
            {
                width = count;
                widthKnown = true;
            }

            if (count != width)
            {
                problem = byPosition
                    ? $"records[{row}] has {count} values but the model's input '{input.Name}' ({input.Type}) takes {width} per row; send {width} features or name the field '{input.Name}'."
                    : $"records[{row}].{input.Name} has {count} value(s) but the model's input '{input.Name}' ({input.Type}) takes {width} per row.";
                return null;
            }

            row++;
        }

        int[] shape = dims switch
        {
            { Count: 0 } => [],
            { Count: 1 } => [Rows],
            { Count: > 2 } when dims.Skip(1).All(d => d.IsFixed) => [Rows, .. dims.Skip(1).Select(d => (int)d.Value!.Value)],
            _ => [Rows, width],
        };
        if (shape.Length == 0 && Rows != 1)
        {
            problem = $"The model's input '{input.Name}' is a single value; send exactly one record.";
            return null;
        }

        return input.Type.ElementType switch
        {
            ElementType.Float => Convert<float>(values, shape, input.Name, ToFloat, out problem),
            ElementType.Double => Convert<double>(values, shape, input.Name, ToDouble, out problem),
            ElementType.Int64 => Convert<long>(values, shape, input.Name, ToInt64, out problem),
            ElementType.Int32 => Convert<int>(values, shape, input.Name, ToInt32, out problem),
            ElementType.Bool => Convert<bool>(values, shape, input.Name, ToBool, out problem),
            ElementType.String => Convert<string>(values, shape, input.Name, ToText, out problem),
            var other => Unsupported(input, other, out problem),
        };
    }

    private OnnxTensor<T>? Convert<T>(List<JsonElement> values, int[] shape, string name, Converter<T> convert, out string? problem)
    {
        var data = new T[values.Count];
        for (var i = 0; i < data.Length; i++)
        {
            if (!convert(values[i], out data[i], out var expected))
            {
                var width = Math.Max(1, values.Count / Math.Max(1, Rows));
                problem = $"records[{i / width}].{name}: expected {expected}, got {Describe(values[i])}.";
                return null;
            }
        }

        problem = null;
        return new OnnxTensor<T>(data, shape);
    }

    private static OnnxTensor? Unsupported(OnnxValueInfo input, ElementType type, out string? problem)
    {
        problem = $"The model's input '{input.Name}' has element type {ElementTypes.Name(type)}, which records cannot feed.";
        return null;
    }

    // [[1,2,3],[5,6,7,8,9]] has the right count for [2,4] but not the right layout: refused rather than realigned.
    private static bool Ragged(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        var length = -1;
        var arrays = 0;
        var scalars = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Array)
            {
                scalars++;
                continue;
            }

            arrays++;
            var itemLength = item.GetArrayLength();
            if ((length >= 0 && itemLength != length) || Ragged(item))
            {
                return true;
            }

            length = itemLength;
        }

        return arrays > 0 && scalars > 0;
    }

    private static void Flatten(JsonElement value, List<JsonElement> into)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
            {
                Flatten(item, into);
            }
        }
        else
        {
            into.Add(value);
        }
    }

    private delegate bool Converter<T>(JsonElement value, out T result, out string expected);

    private static bool ToFloat(JsonElement v, out float result, out string expected)
    {
        var ok = ToDouble(v, out var d, out expected);
        result = (float)d;

        // 1e39 would become infinity in FP32: refused (infinity is sent as "Infinity").
        if (ok && float.IsInfinity(result) && double.IsFinite(d))
        {
            expected = $"a number within FP32's range (at most {float.MaxValue:G9} in magnitude)";
            return false;
        }

        return ok;
    }

    private static bool ToDouble(JsonElement v, out double result, out string expected)
    {
        expected = "a number (or null, \"NaN\", \"Infinity\", \"-Infinity\")";
        switch (v.ValueKind)
        {
            case JsonValueKind.Number:
                return v.TryGetDouble(out result);
            case JsonValueKind.Null:
                result = double.NaN;
                return true;
            case JsonValueKind.String:
                var text = v.GetString();
                result = text switch { "NaN" => double.NaN, "Infinity" => double.PositiveInfinity, "-Infinity" => double.NegativeInfinity, _ => 0 };
                return text is "NaN" or "Infinity" or "-Infinity";
            default:
                result = 0;
                return false;
        }
    }

    private static bool ToInt64(JsonElement v, out long result, out string expected)
    {
        expected = "a whole number";
        result = 0;
        return v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out result);
    }

    private static bool ToInt32(JsonElement v, out int result, out string expected)
    {
        expected = "a whole number within 32 bits";
        result = 0;
        return v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out result);
    }

    private static bool ToBool(JsonElement v, out bool result, out string expected)
    {
        expected = "true or false";
        result = v.ValueKind == JsonValueKind.True;
        return v.ValueKind is JsonValueKind.True or JsonValueKind.False;
    }

    private static bool ToText(JsonElement v, out string result, out string expected)
    {
        expected = "a string";
        result = v.ValueKind == JsonValueKind.String ? v.GetString()! : string.Empty;
        return v.ValueKind == JsonValueKind.String;
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Shorten(value.GetString()!)}\"",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => value.ValueKind.ToString().ToLower(CultureInfo.InvariantCulture),
    };

    private static string Shorten(string text) => Core.Naming.ResourceName.Printable(text);
}
