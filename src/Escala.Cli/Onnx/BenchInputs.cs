using System.Globalization;
using System.Text.Json;
using Escala.Onnx;
using Escala.Onnx.Tensors;

namespace Escala.Cli.Onnx;

/// <summary>
/// The batches a benchmark cycles through: random values of each input's declared type and shape (the
/// first dynamic dim is the batch), or the rows of a file in the format <c>ort-reference.mjs run</c> reads
/// and <c>--dump-inputs</c> writes, so both engines time the same rows.
/// </summary>
internal static class BenchInputs
{
    // Like the reference tool: a pool of at most 1e6 rows and about 2e7 values, cut into batches.
    private const int MaxRows = 1_000_000;
    private const long MaxValues = 20_000_000;

    public static List<OnnxValue[]> Random(InferenceSession session, int batch, int iters, int seed, IReadOnlyDictionary<string, int> dims)
    {
        var shapes = session.Inputs.Select(i => Shape(i, batch, dims)).ToArray();
        var perBatch = shapes.Sum(s => (long)s.Aggregate(1, (a, b) => a * b));
        var rows = Math.Min(MaxRows, Math.Max(batch * (long)iters, 1000));
        var count = (int)Math.Max(1, Math.Min(rows / batch, MaxValues / Math.Max(1, perBatch)));
        var random = new Random(seed);
        var batches = new List<OnnxValue[]>(count);
        for (var b = 0; b < count; b++)
        {
            batches.Add([.. session.Inputs.Select((input, i) => RandomTensor(input.Type.ElementType, shapes[i], random))]);
        }

        return batches;
    }

    public static List<OnnxValue[]> FromFile(InferenceSession session, byte[] json, int batch)
    {
        using var doc = ParseJson(json);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new CommandFailure(CommandFailure.UsageError, "--inputs must be a JSON object keyed by input name");
        }

        foreach (var property in root.EnumerateObject())
        {
            if (!session.Inputs.Any(i => i.Name == property.Name))
            {
                throw new CommandFailure(CommandFailure.UsageError, $"--inputs names '{property.Name}', which is not a model input (inputs: {string.Join(", ", session.Inputs.Select(i => i.Name))})");
            }
        }

        var full = session.Inputs.Select(input => root.TryGetProperty(input.Name, out var spec)
            ? FileTensor(input, spec)
            : throw new CommandFailure(CommandFailure.UsageError, $"--inputs has no value for model input '{input.Name}'")).ToArray();
        var rows = full[0].Shape.Length == 0 ? 1 : full[0].Shape[0];
        if (full.Any(t => t.Rank == 0 || t.Shape[0] != rows))
        {
            throw new CommandFailure(CommandFailure.UsageError, "--inputs: every input needs the same number of rows (first dim)");
        }

        var usable = rows / batch;
        if (usable < 1)
        {
            throw new CommandFailure(CommandFailure.UsageError, $"--inputs has {rows} rows, fewer than --batch {batch}");
        }

        var batches = new List<OnnxValue[]>(usable);
        for (var b = 0; b < usable; b++)
        {
            batches.Add([.. full.Select(t => Rows(t, b * batch, batch))]);
        }

        return batches;
    }

    private static int[] Shape(OnnxValueInfo input, int batch, IReadOnlyDictionary<string, int> dims)
    {
        var declared = input.Type.Shape ?? throw new CommandFailure(CommandFailure.UsageError, $"input '{input.Name}' declares no shape; pass --inputs");
        var shape = new int[declared.Count];
        for (var d = 0; d < shape.Length; d++)
        {
            var dim = declared[d];
            if (dim.Value is { } size)
            {
                shape[d] = (int)size;
            }
            else if (dim.Symbol is { } symbol && dims.TryGetValue(symbol, out var named))
            {
                shape[d] = named;
            }
            else if (dims.TryGetValue($"{input.Name}:{d}", out var indexed))
            {
                shape[d] = indexed;
            }
            else if (d == 0)
            {
                shape[d] = batch;
            }
            else
            {
                throw new CommandFailure(CommandFailure.UsageError, $"input '{input.Name}' dim {d} ({dim}) is dynamic; give it with --dim {dim.Symbol ?? $"{input.Name}:{d}"}=VALUE");
            }
        }

        if (shape.Length > 0 && shape[0] != batch)
        {
            throw new CommandFailure(CommandFailure.UsageError, $"input '{input.Name}' has a fixed first dim {shape[0]}; use --batch {shape[0]}");
        }

        return shape;
    }

    private static OnnxTensor RandomTensor(ElementType type, int[] shape, Random random)
    {
        var length = shape.Aggregate(1, (a, b) => a * b);
        return type switch
        {
            ElementType.Float => new OnnxTensor<float>([.. Enumerable.Range(0, length).Select(_ => (float)Normal(random))], shape),
            ElementType.Double => new OnnxTensor<double>([.. Enumerable.Range(0, length).Select(_ => Normal(random))], shape),
            ElementType.Int64 => new OnnxTensor<long>([.. Enumerable.Range(0, length).Select(_ => (long)random.Next(10))], shape),
            ElementType.Int32 => new OnnxTensor<int>([.. Enumerable.Range(0, length).Select(_ => random.Next(10))], shape),
            ElementType.Bool => new OnnxTensor<bool>([.. Enumerable.Range(0, length).Select(_ => random.Next(2) == 1)], shape),
            ElementType.String => new OnnxTensor<string>([.. Enumerable.Range(0, length).Select(_ => $"s{random.Next(10)}")], shape),
            _ => throw new CommandFailure(CommandFailure.UsageError, $"random inputs of type {ElementTypes.Name(type)} are not generated; pass --inputs"),
        };
    }

    private static double Normal(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static OnnxTensor Rows(OnnxTensor tensor, int first, int count)
    {
        var shape = tensor.ShapeArray();
        var per = shape.Skip(1).Aggregate(1, (a, b) => a * b);
        shape[0] = count;
        return tensor switch
        {
            OnnxTensor<float> t => new OnnxTensor<float>(t.Memory.Slice(first * per, count * per), shape),
            OnnxTensor<double> t => new OnnxTensor<double>(t.Memory.Slice(first * per, count * per), shape),
            OnnxTensor<long> t => new OnnxTensor<long>(t.Memory.Slice(first * per, count * per), shape),
            OnnxTensor<int> t => new OnnxTensor<int>(t.Memory.Slice(first * per, count * per), shape),
            OnnxTensor<bool> t => new OnnxTensor<bool>(t.Memory.Slice(first * per, count * per), shape),
            OnnxTensor<string> t => new OnnxTensor<string>(t.Memory.Slice(first * per, count * per), shape),
            _ => throw new CommandFailure(CommandFailure.UsageError, $"--inputs of type {ElementTypes.Name(tensor.ElementType)} are not supported"),
        };
    }

    private static OnnxTensor FileTensor(OnnxValueInfo input, JsonElement spec)
    {
        var type = input.Type.ElementType;
        JsonElement data;
        int[]? dims = null;
        if (spec.ValueKind == JsonValueKind.Object)
        {
            if (spec.TryGetProperty("type", out var t) && TypeName(t.GetString()) is { } named && named != type)
            {
                throw new CommandFailure(CommandFailure.UsageError, $"--inputs: '{input.Name}' is {t.GetString()}, the model expects {ElementTypes.Name(type)}");
            }

            if (!spec.TryGetProperty("data", out data))
            {
                throw new CommandFailure(CommandFailure.UsageError, $"--inputs: '{input.Name}' has no \"data\"");
            }

            if (spec.TryGetProperty("dims", out var d))
            {
                dims = [.. d.EnumerateArray().Select(v => v.GetInt32())];
            }
        }
        else
        {
            data = spec;
        }

        var flat = new List<JsonElement>();
        var nested = Flatten(data, flat, 0);
        dims ??= nested;
        if (dims.Aggregate(1L, (a, b) => a * b) != flat.Count)
        {
            throw new CommandFailure(CommandFailure.UsageError, $"--inputs: '{input.Name}' dims [{string.Join(',', dims)}] need {dims.Aggregate(1L, (a, b) => a * b)} values, got {flat.Count}");
        }

        return type switch
        {
            ElementType.Float => new OnnxTensor<float>([.. flat.Select(v => (float)Number(v, input.Name))], dims),
            ElementType.Double => new OnnxTensor<double>([.. flat.Select(v => Number(v, input.Name))], dims),
            ElementType.Int64 => new OnnxTensor<long>([.. flat.Select(v => v.ValueKind == JsonValueKind.String ? long.Parse(v.GetString()!, CultureInfo.InvariantCulture) : v.GetInt64())], dims),
            ElementType.Int32 => new OnnxTensor<int>([.. flat.Select(v => v.GetInt32())], dims),
            ElementType.Bool => new OnnxTensor<bool>([.. flat.Select(v => v.ValueKind == JsonValueKind.Number ? v.GetInt32() != 0 : v.GetBoolean())], dims),
            ElementType.String => new OnnxTensor<string>([.. flat.Select(v => v.GetString() ?? string.Empty)], dims),
            _ => throw new CommandFailure(CommandFailure.UsageError, $"--inputs of type {ElementTypes.Name(type)} are not supported"),
        };
    }

    private static int[] Flatten(JsonElement element, List<JsonElement> into, int depth)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            into.Add(element);
            return [];
        }

        if (depth > 32)
        {
            throw new CommandFailure(CommandFailure.UsageError, "--inputs: arrays nested too deeply");
        }

        var length = element.GetArrayLength();
        int[] inner = [];
        foreach (var item in element.EnumerateArray())
        {
            inner = Flatten(item, into, depth + 1);
        }

        return [length, .. inner];
    }

    private static double Number(JsonElement v, string input) => v.ValueKind switch
    {
        JsonValueKind.Number => v.GetDouble(),
        JsonValueKind.String when v.GetString() == "NaN" => double.NaN,
        JsonValueKind.String when v.GetString() == "Infinity" => double.PositiveInfinity,
        JsonValueKind.String when v.GetString() == "-Infinity" => double.NegativeInfinity,
        _ => throw new CommandFailure(CommandFailure.UsageError, $"--inputs: '{input}' has a value that is not a number: {v.GetRawText()}"),
    };

    private static ElementType? TypeName(string? name) => name switch
    {
        "float32" => ElementType.Float,
        "float64" => ElementType.Double,
        "float16" => ElementType.Float16,
        "int64" => ElementType.Int64,
        "int32" => ElementType.Int32,
        "int16" => ElementType.Int16,
        "int8" => ElementType.Int8,
        "uint64" => ElementType.UInt64,
        "uint32" => ElementType.UInt32,
        "uint16" => ElementType.UInt16,
        "uint8" => ElementType.UInt8,
        "bool" => ElementType.Bool,
        "string" => ElementType.String,
        _ => null,
    };

    private static JsonDocument ParseJson(byte[] json)
    {
        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new CommandFailure(CommandFailure.UsageError, $"--inputs is not valid JSON: {e.Message}");
        }
    }
}
