using System.Globalization;
using System.Text;
using Escala.Core.Fairness;
using Escala.Core.Monitoring.Baselines;
using Escala.Core.Problems;
using Escala.Core.Registry;
using Escala.Onnx;
using Escala.Onnx.Tensors;
using Escala.Server.Monitoring.Baselines;

namespace Escala.Server.Fairness;

/// <summary>
/// Scores a holdout table with a version for fairness metrics: the columns other than the sensitive ones and the label
/// are the model's features (fed as for a baseline), the model decides each row's class itself, and each row becomes a
/// <see cref="FairnessRow"/> per sensitive attribute. Only binary classifiers apply: a label output with at most two
/// values, or a probability (one column, or the second of two) thresholded at 0.5; anything else (a regressor's value)
/// is refused.
/// </summary>
public static class HoldoutScoring
{
    /// <summary>The most holdout rows scored.</summary>
    public const int MaxRows = 1_000_000;

    /// <summary>Scores <paramref name="csv"/> and computes one report per attribute, and for several their combination.</summary>
    public static (IReadOnlyList<FairnessReport> Reports, string Positive, int Rows) Evaluate(
        ReadOnlyMemory<byte> csv, ModelSignature signature, InferenceSession session, IReadOnlyList<string> sensitive, string label, string? positive,
        FairnessOptions options)
    {
        var (header, rows) = Read(csv);
        int Column(string name, string role) => Array.IndexOf(header, name) is var i and >= 0
            ? i
            : throw ProblemTypes.FairnessUnavailable.With($"The holdout table has no column '{Core.Naming.ResourceName.Printable(name)}' ({role}); its columns are {string.Join(", ", header)}.");
        var labelColumn = Column(label, "the label");
        var sensitiveColumns = sensitive.Select(s => Column(s, "a sensitive attribute")).ToArray();
        var featureColumns = Enumerable.Range(0, header.Length).Where(c => c != labelColumn && !sensitiveColumns.Contains(c)).ToArray();
        var actual = rows.Select(r => r[labelColumn].Trim()).ToArray();
        var classes = actual.Where(a => a.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        if (classes.Length > 2)
        {
            throw ProblemTypes.FairnessUnavailable.With(
                $"The label column '{label}' has {classes.Length} distinct values ({string.Join(", ", classes.Take(5))}...); fairness metrics need a binary label.");
        }

        positive ??= DefaultPositive(classes)
            ?? throw ProblemTypes.FairnessUnavailable.With($"Name the positive class with positive= (the labels are {string.Join(" and ", classes)}).");
        var kept = new List<int>(rows.Count);
        IReadOnlyDictionary<string, OnnxValue> outputs;
        try
        {
            var feeds = ReferenceBaselines.Feeds([.. featureColumns.Select(c => header[c])], [.. rows.Select(r => featureColumns.Select(c => r[c]).ToArray())], signature, session.Inputs, kept);
            outputs = session.Run(feeds);
        }
        catch (ProblemException e) when (e.Type == ProblemTypes.InvalidBaseline)
        {
            throw ProblemTypes.FairnessUnavailable.With($"The holdout table's feature columns do not fit the model: {e.Detail}");
        }
        catch (OnnxException e)
        {
            throw ProblemTypes.FairnessUnavailable.With($"The model could not score the holdout rows: {e.Message}");
        }

        var predicted = PredictedPositive(signature, outputs, kept.Count, positive);
        var byAttribute = sensitive.Select((s, k) => (s, (Func<string[], string>)(r => Group(r[sensitiveColumns[k]])))).ToList();
        if (sensitive.Count > 1)
        {
            byAttribute.Add((string.Join('+', sensitive), r => string.Join('|', sensitiveColumns.Select(c => Group(r[c])))));
        }

        var reports = byAttribute.Select(a => FairnessMetrics.Compute(a.Item1,
            [.. kept.Select((row, k) => new FairnessRow(a.Item2(rows[row]), predicted[k], actual[row].Length == 0 ? null : actual[row] == positive))],
            options)).ToList();
        return (reports, positive, kept.Count);
    }

    private static string Group(string value) => value.Trim() is { Length: > 0 } v ? v : "(missing)";

    private static string? DefaultPositive(string[] classes)
    {
        if (classes.All(c => c is "0" or "1"))
        {
            return "1";
        }

        return classes.All(c => c.Equals("true", StringComparison.OrdinalIgnoreCase) || c.Equals("false", StringComparison.OrdinalIgnoreCase))
            ? classes.FirstOrDefault(c => c.Equals("true", StringComparison.OrdinalIgnoreCase)) ?? "true"
            : null;
    }

    private static bool[] PredictedPositive(ModelSignature signature, IReadOnlyDictionary<string, OnnxValue> outputs, int rows, string positive)
    {
        // A label output (integers or strings, one per row) is the model's own decision.
        foreach (var spec in signature.Outputs.Where(o => (FeatureLayout.IsInteger(o.ElementType) || o.ElementType == "string") && FeatureLayout.RowWidth(o) == 1))
        {
            if (outputs.GetValueOrDefault(spec.Name) is OnnxTensor tensor && tensor.Length == rows)
            {
                var labels = Enumerable.Range(0, rows).Select(i => Text(tensor, i)).ToArray();
                var distinct = labels.Distinct(StringComparer.Ordinal).ToArray();
                if (distinct.Length > 2 || (distinct.Length == 2 && !distinct.Contains(positive)))
                {
                    throw ProblemTypes.FairnessUnavailable.With(
                        $"The model predicts {distinct.Length} classes ({string.Join(", ", distinct.Take(5))}) on the holdout, not a positive class '{positive}' and one other: fairness metrics here are for binary classifiers.");
                }

                return [.. labels.Select(l => l == positive)];
            }
        }

        foreach (var spec in signature.Outputs.Where(o => FeatureLayout.IsFloat(o.ElementType) && FeatureLayout.RowWidth(o) is 1 or 2))
        {
            if (outputs.GetValueOrDefault(spec.Name) is OnnxTensor tensor && tensor.Length is var n && (n == rows || n == 2 * rows))
            {
                var width = n / Math.Max(rows, 1);
                var scores = Enumerable.Range(0, rows).Select(i => Number(tensor, (i * width) + width - 1)).ToArray();
                if (scores.Any(s => s is < 0 or > 1 || double.IsNaN(s)))
                {
                    throw ProblemTypes.FairnessUnavailable.With(
                        $"The model's output '{spec.Name}' is not a probability (values outside [0, 1]): it looks like a regressor, and fairness metrics here are for binary classifiers.");
                }

                return [.. scores.Select(s => s >= 0.5)];
            }
        }

        throw ProblemTypes.FairnessUnavailable.With("The model has no class label or probability output: fairness metrics here are for binary classifiers.");
    }

    private static string Text(OnnxTensor tensor, int i) => tensor switch
    {
        OnnxTensor<string> s => s[i],
        OnnxTensor<long> l => l[i].ToString(CultureInfo.InvariantCulture),
        OnnxTensor<int> k => k[i].ToString(CultureInfo.InvariantCulture),
        _ => "",
    };

    private static double Number(OnnxTensor tensor, int i) => tensor switch
    {
        OnnxTensor<float> f => f[i],
        OnnxTensor<double> d => d[i],
        _ => double.NaN,
    };

    private static (string[] Header, List<string[]> Rows) Read(ReadOnlyMemory<byte> csv)
    {
        using var reader = new StreamReader(new MemoryStream(csv.ToArray(), writable: false), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        var table = new ReferenceCsvReader(reader);
        var fields = new List<string>();
        if (!table.TryRead(fields, out _))
        {
            throw ProblemTypes.ValidationFailed.With("The holdout table is empty; its first line must name the columns.");
        }

        var header = fields.Select(f => f.Trim()).ToArray();
        var rows = new List<string[]>();
        while (table.TryRead(fields, out var line))
        {
            if (fields.Count != header.Length)
            {
                throw ProblemTypes.ValidationFailed.With(string.Create(CultureInfo.InvariantCulture, $"The holdout table, line {line}: {fields.Count} fields, but the header names {header.Length} columns."));
            }

            if (rows.Count == MaxRows)
            {
                throw ProblemTypes.ValidationFailed.With($"The holdout table has more than {MaxRows} rows; sample it.");
            }

            rows.Add([.. fields]);
        }

        return rows.Count > 0 ? (header, rows) : throw ProblemTypes.ValidationFailed.With("The holdout table has a header but no rows.");
    }
}
