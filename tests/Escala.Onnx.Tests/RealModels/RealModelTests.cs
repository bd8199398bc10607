using System.Globalization;
using System.Text.Json;
using Escala.Onnx.Tensors;
using Escala.Testing;

namespace Escala.Onnx.Tests.RealModels;

/// <summary>
/// Every model of ../shared/onnx-real-models (real skl2onnx / onnxmltools exports) against ONNX Runtime's outputs in its
/// reference file, every batch: floats within atol + rtol * |expected| (the folder's tolerances), labels, strings and
/// integers exactly, ZipMap outputs key by key.
/// </summary>
public sealed class RealModelTests
{
    private const string Folder = "onnx-real-models";

    public static TheoryData<string> Models()
    {
        var data = new TheoryData<string>();
        var index = SharedFolder.Path is { } root ? Path.Combine(root, Folder, "index.json") : null;
        if (index is null || !File.Exists(index))
        {
            data.Add("(../shared/onnx-real-models absent)");
            return data;
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(index));
        foreach (var model in document.RootElement.GetProperty("models").EnumerateArray())
        {
            data.Add(model.GetProperty("file").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Model_matches_ONNX_Runtime_on_every_reference_batch(string model)
    {
        var folder = SharedFolder.Require(Folder);
        var reference = ReferenceFile.Load(Path.Combine(folder, ReferencePath(folder, model)));
        var session = InferenceSession.LoadFile(Path.Combine(folder, model));
        var failures = new List<string>();
        foreach (var batch in reference.Batches)
        {
            var outputs = session.Run(batch.Inputs.ToDictionary(kv => kv.Key, kv => kv.Value));
            foreach (var (name, expected) in batch.Outputs)
            {
                if (!outputs.TryGetValue(name, out var actual))
                {
                    failures.Add($"{batch.Name}: output '{name}' missing");
                    continue;
                }

                Compare($"{batch.Name}/{name}", expected, actual, reference, failures);
            }
        }

        Assert.True(failures.Count == 0, $"{model}: {failures.Count} mismatches\n" + string.Join('\n', failures.Take(20)));
    }

    private static string ReferencePath(string folder, string model)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "index.json")));
        return document.RootElement.GetProperty("models").EnumerateArray()
            .First(m => m.GetProperty("file").GetString() == model).GetProperty("reference").GetString()!;
    }

    private static void Compare(string where, JsonElement expected, OnnxValue actual, ReferenceFile reference, List<string> failures)
    {
        var type = expected.GetProperty("type").GetString()!;
        if (type.StartsWith("seq(map(", StringComparison.Ordinal))
        {
            CompareMaps(where, expected.GetProperty("data"), actual, reference, failures);
            return;
        }

        var want = ReferenceFile.ReadTensor(expected);
        if (actual is not OnnxTensor got)
        {
            failures.Add($"{where}: expected a tensor, got {actual.Type}");
            return;
        }

        if (!want.Shape.SequenceEqual(got.Shape) || want.ElementType != got.ElementType)
        {
            failures.Add($"{where}: expected {want}, got {got}");
            return;
        }

        for (var i = 0; i < want.Length; i++)
        {
            var (ok, w, g) = (want, got) switch
            {
                (OnnxTensor<float> a, OnnxTensor<float> b) => (Close(a[i], b[i], reference), a[i].ToString("R", CultureInfo.InvariantCulture), b[i].ToString("R", CultureInfo.InvariantCulture)),
                (OnnxTensor<double> a, OnnxTensor<double> b) => (Close(a[i], b[i], reference), a[i].ToString("R", CultureInfo.InvariantCulture), b[i].ToString("R", CultureInfo.InvariantCulture)),
                (OnnxTensor<long> a, OnnxTensor<long> b) => (a[i] == b[i], a[i].ToString(CultureInfo.InvariantCulture), b[i].ToString(CultureInfo.InvariantCulture)),
                (OnnxTensor<int> a, OnnxTensor<int> b) => (a[i] == b[i], a[i].ToString(CultureInfo.InvariantCulture), b[i].ToString(CultureInfo.InvariantCulture)),
                (OnnxTensor<string> a, OnnxTensor<string> b) => (a[i] == b[i], a[i], b[i]),
                (OnnxTensor<bool> a, OnnxTensor<bool> b) => (a[i] == b[i], a[i].ToString(), b[i].ToString()),
                _ => (false, want.ToString(), got.ToString()),
            };
            if (!ok)
            {
                failures.Add($"{where}[{i}]: expected {w}, got {g}");
            }
        }
    }

    private static void CompareMaps(string where, JsonElement expected, OnnxValue actual, ReferenceFile reference, List<string> failures)
    {
        if (actual is not OnnxMapSequence maps)
        {
            failures.Add($"{where}: expected a sequence of maps, got {actual.Type}");
            return;
        }

        var rows = expected.EnumerateArray().ToArray();
        if (rows.Length != maps.Count)
        {
            failures.Add($"{where}: expected {rows.Length} maps, got {maps.Count}");
            return;
        }

        for (var r = 0; r < rows.Length; r++)
        {
            var got = maps switch
            {
                OnnxMapSequence<long> l => l[r].ToDictionary(kv => kv.Key.ToString(CultureInfo.InvariantCulture), kv => kv.Value),
                OnnxMapSequence<string> s => s[r].ToDictionary(kv => kv.Key, kv => kv.Value),
                _ => [],
            };
            var want = rows[r].EnumerateObject().ToDictionary(p => p.Name, p => ReferenceFile.Number(p.Value));
            if (!want.Keys.Order().SequenceEqual(got.Keys.Order()))
            {
                failures.Add($"{where}[{r}]: keys {string.Join(',', want.Keys)} expected, got {string.Join(',', got.Keys)}");
                continue;
            }

            foreach (var (key, value) in want)
            {
                if (!Close(value, got[key], reference))
                {
                    failures.Add($"{where}[{r}][{key}]: expected {value.ToString("R", CultureInfo.InvariantCulture)}, got {got[key].ToString("R", CultureInfo.InvariantCulture)}");
                }
            }
        }
    }

    private static bool Close(double expected, double actual, ReferenceFile reference) =>
        double.IsNaN(expected) ? double.IsNaN(actual)
        : double.IsInfinity(expected) ? expected == actual
        : Math.Abs(actual - expected) <= reference.Atol + (reference.Rtol * Math.Abs(expected));
}
