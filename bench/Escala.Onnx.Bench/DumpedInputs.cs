using System.Text.Json;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Bench;

/// <summary>
/// The input pool ort-reference.mjs used (<c>--dump-inputs</c>): one tensor per input whose first axis is the pool's
/// rows, cut here into the same batches so the engine is timed on exactly the rows ONNX Runtime saw.
/// </summary>
internal static class DumpedInputs
{
    public static List<Dictionary<string, OnnxValue>> Batches(string path, int batch)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var pools = new Dictionary<string, (string Type, int[] Dims, JsonElement Data)>();
        foreach (var input in document.RootElement.EnumerateObject())
        {
            pools[input.Name] = (
                input.Value.GetProperty("type").GetString()!,
                [.. input.Value.GetProperty("dims").EnumerateArray().Select(d => d.GetInt32())],
                input.Value.GetProperty("data").Clone());
        }

        var poolRows = pools.Values.First().Dims[0];
        var batches = new List<Dictionary<string, OnnxValue>>();
        for (var start = 0; start + batch <= poolRows; start += batch)
        {
            var feeds = new Dictionary<string, OnnxValue>();
            foreach (var (name, (type, dims, data)) in pools)
            {
                var perRow = dims.Skip(1).Aggregate(1, (a, b) => a * b);
                int[] shape = [batch, .. dims.Skip(1)];
                var values = data.EnumerateArray().Skip(start * perRow).Take(batch * perRow);
                feeds[name] = type switch
                {
                    "float32" => new OnnxTensor<float>([.. values.Select(v => (float)Number(v))], shape),
                    "float64" => new OnnxTensor<double>([.. values.Select(Number)], shape),
                    "int64" => new OnnxTensor<long>([.. values.Select(v => v.GetInt64())], shape),
                    "int32" => new OnnxTensor<int>([.. values.Select(v => v.GetInt32())], shape),
                    "string" => new OnnxTensor<string>([.. values.Select(v => v.GetString()!)], shape),
                    "bool" => new OnnxTensor<bool>([.. values.Select(v => v.GetBoolean())], shape),
                    _ => throw new NotSupportedException($"Dumped input type {type} is not handled."),
                };
            }

            batches.Add(feeds);
        }

        return batches;
    }

    private static double Number(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? e.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            _ => double.NegativeInfinity,
        }
        : e.GetDouble();
}
