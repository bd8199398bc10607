using System.Text.Json;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Tests.RealModels;

/// <summary>
/// A <c>*.reference.json</c> of ../shared/onnx-real-models: input batches and ONNX Runtime's outputs for them. Tensors
/// are <c>{type, dims, data}</c> with "NaN"/"Infinity" as strings; ZipMap outputs are lists of maps.
/// </summary>
internal sealed record ReferenceFile(string Model, double Rtol, double Atol, IReadOnlyList<ReferenceBatch> Batches)
{
    public static ReferenceFile Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        var tolerance = root.GetProperty("tolerance");
        var batches = new List<ReferenceBatch>();
        foreach (var batch in root.GetProperty("batches").EnumerateArray())
        {
            var inputs = new Dictionary<string, OnnxValue>();
            foreach (var input in batch.GetProperty("inputs").EnumerateObject())
            {
                inputs[input.Name] = ReadTensor(input.Value);
            }

            var outputs = batch.GetProperty("outputs").EnumerateObject().ToDictionary(o => o.Name, o => o.Value.Clone());
            batches.Add(new ReferenceBatch(batch.GetProperty("name").GetString()!, inputs, outputs));
        }

        return new ReferenceFile(
            root.GetProperty("model").GetString()!, tolerance.GetProperty("rtol").GetDouble(), tolerance.GetProperty("atol").GetDouble(), batches);
    }

    public static OnnxTensor ReadTensor(JsonElement tensor)
    {
        var type = tensor.GetProperty("type").GetString();
        var dims = tensor.GetProperty("dims").EnumerateArray().Select(d => d.GetInt32()).ToArray();
        var data = tensor.GetProperty("data").EnumerateArray().ToArray();
        return type switch
        {
            "float32" => new OnnxTensor<float>([.. data.Select(e => (float)Number(e))], dims),
            "float64" => new OnnxTensor<double>([.. data.Select(Number)], dims),
            "int64" => new OnnxTensor<long>([.. data.Select(e => e.ValueKind == JsonValueKind.String ? long.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : e.GetInt64())], dims),
            "int32" => new OnnxTensor<int>([.. data.Select(e => e.GetInt32())], dims),
            "string" => new OnnxTensor<string>([.. data.Select(e => e.GetString()!)], dims),
            "bool" => new OnnxTensor<bool>([.. data.Select(e => e.GetBoolean())], dims),
            _ => throw new NotSupportedException($"Reference tensor type {type} is not handled."),
        };
    }

    public static double Number(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => element.GetDouble(),
        JsonValueKind.String => element.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var s => throw new FormatException($"Not a number: {s}"),
        },
        _ => throw new FormatException($"Not a number: {element}"),
    };
}

/// <summary>One named batch: the inputs, and the expected outputs as JSON.</summary>
internal sealed record ReferenceBatch(string Name, IReadOnlyDictionary<string, OnnxValue> Inputs, IReadOnlyDictionary<string, JsonElement> Outputs);
