using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Escala.Onnx.Building;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Bench;

/// <summary>
/// <c>--differential</c>: random tree ensembles (TreeEnsembleRegressor/Classifier and TreeEnsemble opset 5, every branch
/// mode, NaN inputs and tracks, one or two votes per leaf, every aggregate, transform and base-value form) run through
/// ONNX Runtime (<c>ort-reference.mjs run</c>) and the engine; every output is compared with the real-model tolerance
/// and each difference is classified as one of the documented specification readings (docs/engine-ml.md) or reported
/// as unexplained. Exit code 1 when anything is unexplained.
/// </summary>
internal static class DifferentialCheck
{
    private static readonly float[] Grid = [-2f, -1f, -0.5f, 0f, 0.25f, 0.5f, 1f, 3f];
    private static readonly string[] Modes = ["BRANCH_LEQ", "BRANCH_LT", "BRANCH_GTE", "BRANCH_GT", "BRANCH_EQ", "BRANCH_NEQ"];
    private static readonly string[] Transforms = ["NONE", "SOFTMAX", "LOGISTIC", "SOFTMAX_ZERO"];
    private static readonly string[] Aggregates = ["AVERAGE", "SUM", "MIN", "MAX"];

    public static int Run(OrtReferenceTool tool, int cases, string work)
    {
        var counts = new Dictionary<string, int>();
        var unexplained = new List<string>();
        for (var c = 0; c < cases; c++)
        {
            var random = new Random(c);
            var kind = (c % 3) switch { 0 => "regressor", 1 => "classifier", _ => "opset5" };
            var (model, rows, features, known) = Build(random, kind);
            var path = Path.Combine(work, $"case{c}.onnx");
            var input = Path.Combine(work, $"case{c}.json");
            File.WriteAllBytes(path, model);
            File.WriteAllText(input, JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["X"] = new { type = "float32", dims = new[] { rows.Length / features, features }, data = rows.Select(v => float.IsNaN(v) ? (object)"NaN" : v) },
            }));
            var ort = RunOrt(tool, path, input);
            if (ort is null)
            {
                Count(counts, "ONNX Runtime refused the model");
                continue;
            }

            var outputs = InferenceSession.Load(model).Run(new OnnxTensor<float>(rows, rows.Length / features, features));
            var differences = Compare(ort.Value, outputs);
            if (differences.Count == 0)
            {
                Count(counts, "identical within tolerance");
            }
            else if (known is not null)
            {
                Count(counts, $"differs as documented: {known}");
            }
            else
            {
                Count(counts, "UNEXPLAINED difference");
                unexplained.Add($"case {c} ({kind}): {string.Join("; ", differences.Take(4))}");
            }
        }

        Console.WriteLine($"Differential check: {cases} random tree ensembles through ONNX Runtime and Escala");
        foreach (var (what, count) in counts.OrderByDescending(kv => kv.Value))
        {
            Console.WriteLine($"  {count,5}  {what}");
        }

        foreach (var line in unexplained)
        {
            Console.WriteLine("  " + line);
        }

        return unexplained.Count == 0 ? 0 : 1;
    }

    /// <summary>A random model, its input rows, and which documented reading (if any) may make it differ from ONNX Runtime.</summary>
    private static (byte[] Model, float[] Rows, int Features, string? Known) Build(Random random, string kind)
    {
        var features = 1 + random.Next(5);
        var classifier = kind == "classifier";
        var targets = classifier ? new[] { 2, 2, 3, 4 }[random.Next(4)] : 1 + random.Next(3);
        var trees = 1 + random.Next(12);
        var depth = 1 + random.Next(6);
        var modes = random.Next(3) == 0 ? Modes : random.Next(2) == 0 ? ["BRANCH_LEQ"] : Modes[..4];
        var missingRate = new[] { 0.0, 1.0, 0.5 }[random.Next(3)];
        var votes = classifier && random.Next(3) == 0 ? 2 : 1;
        var onlyClass = classifier && targets == 2 ? random.Next(3) - 1 : -1;
        var allPositive = random.Next(3) == 0;
        var nodes = new List<(int Tree, int Id, int Feature, string Mode, float Value, int Missing, int True, int False)>();
        var leafVotes = new List<(int Tree, int Id, int Target, float Weight)>();
        for (var t = 0; t < trees; t++)
        {
            var next = 0;
            Grow(t, 0);

            int Grow(int tree, int level)
            {
                var id = next++;
                var at = nodes.Count;
                if (level == depth || (level > 0 && random.NextDouble() < 0.25))
                {
                    nodes.Add((tree, id, 0, "LEAF", 0, 0, 0, 0));
                    for (var v = 0; v < votes; v++)
                    {
                        leafVotes.Add((tree, id, onlyClass >= 0 ? onlyClass : random.Next(targets), (float)Math.Round((random.NextDouble() * 2) - (allPositive ? 0 : 1), 3)));
                    }

                    return id;
                }

                nodes.Add((tree, id, random.Next(features), modes[random.Next(modes.Length)], Grid[random.Next(Grid.Length)], random.NextDouble() < missingRate ? 1 : 0, 0, 0));
                var trueId = Grow(tree, level + 1);
                var falseId = Grow(tree, level + 1);
                nodes[at] = nodes[at] with { True = trueId, False = falseId };
                return id;
            }
        }

        var transform = Transforms[random.Next(Transforms.Length)];
        var aggregate = random.Next(4);
        var bases = random.Next(3) switch
        {
            0 => [],
            1 when classifier && targets == 2 => [0.3f],
            _ => Enumerable.Range(0, targets).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray(),
        };
        var rowCount = 1 + random.Next(20);
        var rows = new float[rowCount * features];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = random.NextDouble() < 0.08 ? float.NaN : random.NextDouble() < 0.5 ? Grid[random.Next(Grid.Length)] : (float)((random.NextDouble() * 8) - 4);
        }

        var builder = new OnnxModelBuilder().Opset("", 17).Opset("ai.onnx.ml", kind == "opset5" ? 5 : 3).Input("X", ElementType.Float, "N", features);
        string? known = null;
        if (kind == "opset5")
        {
            builder.Output("Y", ElementType.Float, "N", targets);
            builder.Node("TreeEnsemble", ["X"], ["Y"], b => Opset5(b, nodes, leafVotes, targets, aggregate, Array.IndexOf(Transforms, transform)), domain: "ai.onnx.ml");
            known = transform is "SOFTMAX" or "LOGISTIC" && targets > 1 ? "opset-5 post_transform 1/2 (ORT swaps SOFTMAX and LOGISTIC)" : null;
        }
        else if (classifier)
        {
            var voted = leafVotes.Select(v => v.Target).Distinct().Count();
            known = targets == 2 && voted == 2 ? "binary classifier with votes for both classes (ORT answers literal 0/1 labels)"
                : targets == 2 && onlyClass == 1 && bases.Length == 2 ? "binary classifier voting class 1 with two base values (ORT drops the votes)"
                : null;
            builder.Output("label", ElementType.Int64, "N").Output("probabilities", ElementType.Float, "N", targets);
            builder.Node("TreeEnsembleClassifier", ["X"], ["label", "probabilities"], b =>
            {
                Legacy(b, nodes, leafVotes, "class");
                b.Ints("classlabels_int64s", [.. Enumerable.Range(10, targets).Select(i => (long)i)]).String("post_transform", transform);
                if (bases.Length > 0)
                {
                    b.Floats("base_values", bases);
                }
            }, domain: "ai.onnx.ml");
        }
        else
        {
            builder.Output("Y", ElementType.Float, "N", targets);
            builder.Node("TreeEnsembleRegressor", ["X"], ["Y"], b =>
            {
                Legacy(b, nodes, leafVotes, "target");
                b.Int("n_targets", targets).String("post_transform", transform).String("aggregate_function", Aggregates[aggregate]);
                if (bases.Length == targets)
                {
                    b.Floats("base_values", bases);
                }
            }, domain: "ai.onnx.ml");
        }

        return (builder.ToBytes(), rows, features, known);
    }

    private static void Legacy(
        OnnxNodeBuilder b, List<(int Tree, int Id, int Feature, string Mode, float Value, int Missing, int True, int False)> nodes,
        List<(int Tree, int Id, int Target, float Weight)> votes, string prefix)
    {
        b.Ints("nodes_treeids", [.. nodes.Select(n => (long)n.Tree)]).Ints("nodes_nodeids", [.. nodes.Select(n => (long)n.Id)])
            .Ints("nodes_featureids", [.. nodes.Select(n => (long)n.Feature)]).Strings("nodes_modes", [.. nodes.Select(n => n.Mode)])
            .Floats("nodes_values", [.. nodes.Select(n => n.Value)]).Ints("nodes_missing_value_tracks_true", [.. nodes.Select(n => (long)n.Missing)])
            .Ints("nodes_truenodeids", [.. nodes.Select(n => (long)n.True)]).Ints("nodes_falsenodeids", [.. nodes.Select(n => (long)n.False)])
            .Ints($"{prefix}_treeids", [.. votes.Select(v => (long)v.Tree)]).Ints($"{prefix}_nodeids", [.. votes.Select(v => (long)v.Id)])
            .Ints(prefix == "class" ? "class_ids" : "target_ids", [.. votes.Select(v => (long)v.Target)])
            .Floats($"{prefix}_weights", [.. votes.Select(v => v.Weight)]);
    }

    /// <summary>The same trees in the opset-5 encoding: interior nodes and leaves in separate lists (membership left out: ORT 1.30 supports it only for integers).</summary>
    private static void Opset5(
        OnnxNodeBuilder b, List<(int Tree, int Id, int Feature, string Mode, float Value, int Missing, int True, int False)> nodes,
        List<(int Tree, int Id, int Target, float Weight)> votes, int targets, int aggregate, int transform)
    {
        var interior = nodes.Where(n => n.Mode != "LEAF").ToList();
        var leaves = nodes.Where(n => n.Mode == "LEAF").ToList();
        int Position(int tree, int id, out bool leaf)
        {
            var at = leaves.FindIndex(n => n.Tree == tree && n.Id == id);
            leaf = at >= 0;
            return leaf ? at : interior.FindIndex(n => n.Tree == tree && n.Id == id);
        }

        var trueIds = new List<long>();
        var falseIds = new List<long>();
        var trueLeafs = new List<long>();
        var falseLeafs = new List<long>();
        foreach (var n in interior)
        {
            trueIds.Add(Position(n.Tree, n.True, out var tl));
            trueLeafs.Add(tl ? 1 : 0);
            falseIds.Add(Position(n.Tree, n.False, out var fl));
            falseLeafs.Add(fl ? 1 : 0);
        }

        // The generator never makes a root a leaf, so every root is an interior node.
        var roots = nodes.Select(n => n.Tree).Distinct().Select(tree => (long)Position(tree, 0, out _)).ToList();

        var modeCodes = new Dictionary<string, byte> { ["BRANCH_LEQ"] = 0, ["BRANCH_LT"] = 1, ["BRANCH_GTE"] = 2, ["BRANCH_GT"] = 3, ["BRANCH_EQ"] = 4, ["BRANCH_NEQ"] = 5 };
        var leafVotes = leaves.Select(l => votes.First(v => v.Tree == l.Tree && v.Id == l.Id)).ToList();
        b.Ints("nodes_featureids", [.. interior.Select(n => (long)n.Feature)])
            .Tensor("nodes_splits", new OnnxTensor<float>([.. interior.Select(n => n.Value)], interior.Count))
            .Tensor("nodes_modes", new OnnxTensor<byte>([.. interior.Select(n => modeCodes[n.Mode])], interior.Count))
            .Ints("nodes_truenodeids", [.. trueIds]).Ints("nodes_falsenodeids", [.. falseIds])
            .Ints("nodes_trueleafs", [.. trueLeafs]).Ints("nodes_falseleafs", [.. falseLeafs])
            .Ints("nodes_missing_value_tracks_true", [.. interior.Select(n => (long)n.Missing)]).Ints("tree_roots", [.. roots])
            .Ints("leaf_targetids", [.. leafVotes.Select(v => (long)v.Target)])
            .Tensor("leaf_weights", new OnnxTensor<float>([.. leafVotes.Select(v => v.Weight)], leafVotes.Count))
            .Int("n_targets", targets).Int("aggregate_function", aggregate).Int("post_transform", transform);
    }

    private static JsonElement? RunOrt(OrtReferenceTool tool, string model, string input)
    {
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { tool.ToolPath, "run", model, input, "--compact" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        _ = stderr.Result;
        return process.ExitCode == 0 ? JsonDocument.Parse(stdout).RootElement.Clone() : null;
    }

    private static List<string> Compare(JsonElement ort, OnnxValue[] mine)
    {
        var differences = new List<string>();
        var expected = ort.EnumerateObject().ToList();
        for (var o = 0; o < expected.Count; o++)
        {
            var data = expected[o].Value.GetProperty("data").EnumerateArray().ToArray();
            switch (mine[o])
            {
                case OnnxTensor<long> labels:
                    for (var i = 0; i < data.Length; i++)
                    {
                        if (data[i].GetInt64() != labels[i])
                        {
                            differences.Add($"{expected[o].Name}[{i}] ORT {data[i]} Escala {labels[i]}");
                        }
                    }

                    break;
                case OnnxTensor<float> values:
                    for (var i = 0; i < data.Length; i++)
                    {
                        var e = data[i].ValueKind == JsonValueKind.String ? double.NaN : data[i].GetDouble();
                        var a = values[i];
                        if (!(double.IsNaN(e) ? float.IsNaN(a) : Math.Abs(a - e) <= 1e-5 + (1e-4 * Math.Abs(e))))
                        {
                            differences.Add(string.Create(CultureInfo.InvariantCulture, $"{expected[o].Name}[{i}] ORT {e:R} Escala {a:R}"));
                        }
                    }

                    break;
                default:
                    differences.Add($"output {o} is {mine[o].Type}");
                    break;
            }
        }

        return differences;
    }

    private static void Count(Dictionary<string, int> counts, string what) => counts[what] = counts.GetValueOrDefault(what) + 1;
}
