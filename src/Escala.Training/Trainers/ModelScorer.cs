using System.Globalization;
using Escala.Onnx;
using Escala.Onnx.Tensors;
using Escala.Training.Datasets;

namespace Escala.Training.Trainers;

/// <summary>
/// Runs an ONNX model in Escala's engine on the rows of a CSV table. Inputs are matched to columns by name (one
/// <c>[N,1]</c> tensor per column, typed as the model declares), or, for a model with a single <c>[N,F]</c> float
/// input, the table's F numeric feature columns in file order. Reads the answer the way monitoring does: the
/// probability of the positive class (an output named probability, a two-column score, or a class-to-probability
/// map), the predicted label, or the value.
/// </summary>
public sealed class ModelScorer(InferenceSession session)
{
    /// <summary>The engine session.</summary>
    public InferenceSession Session { get; } = session;

    /// <summary>The model's inputs for <paramref name="rows"/> of <paramref name="table"/> (excluding <paramref name="label"/>); throws <see cref="TrainingException"/> naming a missing column.</summary>
    public Dictionary<string, OnnxValue> Inputs(CsvTable table, IReadOnlyList<string[]> rows, string? label)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(rows);
        var inputs = new Dictionary<string, OnnxValue>(StringComparer.Ordinal);
        var n = rows.Count;
        if (Session.Inputs.Count == 1 && table.IndexOf(Session.Inputs[0].Name) < 0 && Session.Inputs[0].Type.IsTensorOf(ElementType.Float))
        {
            var numeric = Enumerable.Range(0, table.Header.Count).Where(i => table.Header[i] != label
                && rows.All(r => r[i].Length == 0 || double.TryParse(r[i], NumberStyles.Float, CultureInfo.InvariantCulture, out _))).ToArray();
            var width = Session.Inputs[0].Type.Shape is { Count: 2 } shape && shape[1].Value is { } w ? (int)w : numeric.Length;
            if (width != numeric.Length)
            {
                throw new TrainingException($"the model takes {width} features in '{Session.Inputs[0].Name}', but the data has {numeric.Length} numeric columns besides '{label}'");
            }

            var packed = new float[n * width];
            for (var r = 0; r < n; r++)
            {
                for (var c = 0; c < width; c++)
                {
                    packed[(r * width) + c] = Float(rows[r][numeric[c]]);
                }
            }

            inputs[Session.Inputs[0].Name] = new OnnxTensor<float>(packed, n, width);
            return inputs;
        }

        foreach (var input in Session.Inputs)
        {
            var index = table.IndexOf(input.Name);
            if (index < 0)
            {
                throw new TrainingException($"the data has no column '{input.Name}', which the model takes as input");
            }

            inputs[input.Name] = input.Type.ElementType switch
            {
                ElementType.String => new OnnxTensor<string>(rows.Select(r => r[index]).ToArray(), n, 1),
                ElementType.Double => new OnnxTensor<double>(rows.Select(r => (double)Float(r[index])).ToArray(), n, 1),
                ElementType.Int64 => new OnnxTensor<long>(rows.Select(r => (long)Float(r[index])).ToArray(), n, 1),
                _ => new OnnxTensor<float>(rows.Select(r => Float(r[index])).ToArray(), n, 1),
            };
        }

        return inputs;
    }

    /// <summary>The probability of <paramref name="positive"/> (class index 1 of two) per row.</summary>
    public double[] PositiveProbabilities(IReadOnlyDictionary<string, OnnxValue> outputs, string positive, int rows)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        foreach (var (name, value) in outputs)
        {
            if (name.Equals("probability", StringComparison.OrdinalIgnoreCase) && value is OnnxTensor<float> p && p.ToArray().Length == rows)
            {
                return [.. p.ToArray().Select(v => (double)v)];
            }
        }

        foreach (var (_, value) in outputs)
        {
            if (value is OnnxMapSequence maps)
            {
                return [.. Enumerable.Range(0, maps.Count).Select(i => MapProbability(maps, i, positive))];
            }

            if (value is OnnxTensor<float> scores && scores.ToArray().Length == rows * 2)
            {
                var data = scores.ToArray();
                return [.. Enumerable.Range(0, rows).Select(i => (double)data[(i * 2) + 1])];
            }
        }

        throw new TrainingException($"the model's outputs ({string.Join(", ", outputs.Keys)}) hold no probability of the positive class: name one 'probability', return [N,2] scores or a class-to-probability map");
    }

    /// <summary>The predicted value per row (regression): an output named score/variable/prediction, else the first float output with one value per row.</summary>
    public static double[] Values(IReadOnlyDictionary<string, OnnxValue> outputs, int rows)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        var candidates = outputs.OrderBy(o => o.Key.ToLowerInvariant() is "score" or "variable" or "prediction" ? 0 : 1);
        foreach (var (_, value) in candidates)
        {
            if (value is OnnxTensor<float> f && f.ToArray().Length == rows)
            {
                return [.. f.ToArray().Select(v => (double)v)];
            }

            if (value is OnnxTensor<double> d && d.ToArray().Length == rows)
            {
                return d.ToArray();
            }
        }

        throw new TrainingException($"the model's outputs ({string.Join(", ", outputs.Keys)}) hold no value per row");
    }

    /// <summary>The predicted label per row (multiclass): a string or integer output with one value per row.</summary>
    public static string[] Labels(IReadOnlyDictionary<string, OnnxValue> outputs, int rows)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        foreach (var (_, value) in outputs.OrderBy(o => o.Key.Contains("label", StringComparison.OrdinalIgnoreCase) ? 0 : 1))
        {
            if (value is OnnxTensor<string> s && s.ToArray().Length == rows)
            {
                return s.ToArray();
            }

            if (value is OnnxTensor<long> l && l.ToArray().Length == rows)
            {
                return [.. l.ToArray().Select(v => v.ToString(CultureInfo.InvariantCulture))];
            }
        }

        throw new TrainingException($"the model's outputs ({string.Join(", ", outputs.Keys)}) hold no predicted label per row");
    }

    private static double MapProbability(OnnxMapSequence maps, int row, string positive) => maps switch
    {
        OnnxMapSequence<string> byText => byText[row].TryGetValue(positive, out var p) ? p : 0,
        OnnxMapSequence<long> byIndex => byIndex[row].TryGetValue(1, out var p) ? p : 0,
        _ => 0,
    };

    private static float Float(string text) =>
        text.Length > 0 && float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : float.NaN;
}
