using System.Globalization;
using Escala.Core.Registry;

namespace Escala.Core.Monitoring.Baselines;

/// <summary>One model input as monitoring reads it: which baseline feature each of its per-row columns is.</summary>
/// <param name="Input">The model's input name.</param>
/// <param name="ElementType">Its ONNX element type name (<c>float</c>, <c>int64</c>, <c>string</c>...).</param>
/// <param name="Features">For each column of one row of the input (its width), the index of the baseline feature it holds.</param>
public sealed record InputColumns(string Input, string ElementType, int[] Features)
{
    /// <summary>Values per row.</summary>
    public int Width => Features.Length;

    /// <summary>True when the input holds text (a categorical feature).</summary>
    public bool IsText => ElementType == "string";
}

/// <summary>Which model output, and which column of it, is the prediction monitoring profiles.</summary>
/// <param name="Output">The output name.</param>
/// <param name="ElementType">Its element type.</param>
/// <param name="Column">The column read per row (1 for the positive class of a two-column probability).</param>
/// <param name="Width">Values per row.</param>
/// <param name="Kind">Numeric (a score or value) or categorical (a label).</param>
public sealed record PredictionColumn(string Output, string ElementType, int Column, int Width, FeatureKind Kind)
{
    /// <summary>The name the baseline gives the prediction column: the output's name, with the column when it has several.</summary>
    public string Name => Width == 1 ? Output : string.Create(CultureInfo.InvariantCulture, $"{Output}[{Column}]");

    /// <summary>
    /// This column as <paramref name="profiled"/> (the baseline's profile of the prediction) reads it, or null when the
    /// baseline profiled another column or a kind this output cannot hold (numbers from a text label).
    /// </summary>
    public PredictionColumn? ReadAs(ColumnProfile profiled)
    {
        ArgumentNullException.ThrowIfNull(profiled);
        if (profiled.Name != Name)
        {
            return null;
        }

        if (profiled.Kind == Kind)
        {
            return this;
        }

        return profiled.Kind == FeatureKind.Numeric && ElementType != "string" ? this with { Kind = FeatureKind.Numeric } : null;
    }

    /// <summary>
    /// The prediction of a model: the first float or double output with one value per row (a score, probability
    /// or regression value); else the positive-class column of a float output with two values per row (class
    /// probabilities); else the first integer or string output with one value per row (a class label, beside which
    /// probabilities, as a tensor or a map, are not the prediction); else the first column of a float output with more
    /// values per row (a multi-target regression). Null when the model has none of these (e.g. only a map of probabilities).
    /// </summary>
    public static PredictionColumn? Of(ModelSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        foreach (var output in signature.Outputs)
        {
            if (FeatureLayout.IsFloat(output.ElementType) && FeatureLayout.RowWidth(output) == 1)
            {
                return new PredictionColumn(output.Name, output.ElementType, 0, 1, FeatureKind.Numeric);
            }
        }

        foreach (var output in signature.Outputs)
        {
            if (FeatureLayout.IsFloat(output.ElementType) && FeatureLayout.RowWidth(output) == 2)
            {
                return new PredictionColumn(output.Name, output.ElementType, 1, 2, FeatureKind.Numeric);
            }
        }

        foreach (var output in signature.Outputs)
        {
            if ((FeatureLayout.IsInteger(output.ElementType) || output.ElementType == "string") && FeatureLayout.RowWidth(output) == 1)
            {
                return new PredictionColumn(output.Name, output.ElementType, 0, 1, FeatureKind.Categorical);
            }
        }

        foreach (var output in signature.Outputs)
        {
            if (FeatureLayout.IsFloat(output.ElementType) && FeatureLayout.RowWidth(output) > 2)
            {
                return new PredictionColumn(output.Name, output.ElementType, 0, FeatureLayout.RowWidth(output), FeatureKind.Numeric);
            }
        }

        return null;
    }
}

/// <summary>
/// How the features of a baseline map onto a model's inputs, so request rows can be read feature by feature
/// and a reference table can feed the model. An input with one value per row (<c>[N]</c> or <c>[N,1]</c>) is the
/// feature with its name. A model with a single wider input (<c>[N,k]</c>) takes the features in order (as the
/// records API feeds such a model a record's values in order), so a reference CSV's columns name its k features.
/// Among several inputs, column j of a wide input <c>x</c> is the feature <c>x[j]</c>.
/// </summary>
public sealed class FeatureLayout
{
    private FeatureLayout(IReadOnlyList<string> features, IReadOnlyList<InputColumns> inputs)
    {
        Features = features;
        Inputs = inputs;
    }

    /// <summary>Feature names, in baseline order.</summary>
    public IReadOnlyList<string> Features { get; }

    /// <summary>Every model input and the feature of each of its columns.</summary>
    public IReadOnlyList<InputColumns> Inputs { get; }

    /// <summary>
    /// Lays out the columns of a reference table (<paramref name="columns"/>, its header) on the model's inputs.
    /// Returns null with the problem (naming the column or input) when they do not fit.
    /// </summary>
    public static FeatureLayout? TryCreate(ModelSignature signature, IReadOnlyList<string> columns, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(columns);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < columns.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(columns[i]))
            {
                problem = $"column {i + 1} has no name; the first line must name every column.";
                return null;
            }

            if (!index.TryAdd(columns[i], i))
            {
                problem = $"the column '{columns[i]}' appears twice (columns {index[columns[i]] + 1} and {i + 1}).";
                return null;
            }
        }

        foreach (var input in signature.Inputs)
        {
            if (input.Dims is null || IsFloat(input.ElementType) is false && IsInteger(input.ElementType) is false && input.ElementType is not ("string" or "bool"))
            {
                problem = $"the model's input '{input.Name}' is {input.ElementType}; monitoring reads tensors of numbers or strings only.";
                return null;
            }
        }

        var layout = new List<InputColumns>(signature.Inputs.Count);
        var used = new bool[columns.Count];
        if (signature.Inputs.Count == 1 && RowWidth(signature.Inputs[0]) != 1 && !index.ContainsKey(signature.Inputs[0].Name))
        {
            var only = signature.Inputs[0];
            var width = RowWidth(only);
            if (width > 0 && width != columns.Count)
            {
                problem = string.Create(CultureInfo.InvariantCulture,
                    $"the model's input '{only.Name}' takes {width} values per row, in order; the table has {columns.Count} columns. Give exactly its {width} features as columns, in the model's order.");
                return null;
            }

            layout.Add(new InputColumns(only.Name, only.ElementType, [.. Enumerable.Range(0, columns.Count)]));
            Array.Fill(used, true);
        }
        else
        {
            foreach (var input in signature.Inputs)
            {
                var width = RowWidth(input);
                if (width == 1)
                {
                    if (!index.TryGetValue(input.Name, out var column))
                    {
                        problem = $"the model's input '{input.Name}' has no column; add a column named '{input.Name}'.";
                        return null;
                    }

                    used[column] = true;
                    layout.Add(new InputColumns(input.Name, input.ElementType, [column]));
                    continue;
                }

                if (width <= 0)
                {
                    problem = $"the model's input '{input.Name}' has an unknown number of values per row; with several inputs, monitoring needs each input's width.";
                    return null;
                }

                var features = new int[width];
                for (var j = 0; j < width; j++)
                {
                    var name = string.Create(CultureInfo.InvariantCulture, $"{input.Name}[{j}]");
                    if (!index.TryGetValue(name, out var column))
                    {
                        problem = $"the model's input '{input.Name}' has {width} values per row; add a column named '{name}'.";
                        return null;
                    }

                    used[column] = true;
                    features[j] = column;
                }

                layout.Add(new InputColumns(input.Name, input.ElementType, features));
            }
        }

        var unused = Array.IndexOf(used, false);
        if (unused >= 0)
        {
            problem = $"the column '{columns[unused]}' (column {unused + 1}) is not an input of the model; the table must hold exactly the model's features.";
            return null;
        }

        problem = null;
        return new FeatureLayout([.. columns], layout);
    }

    /// <summary>The layout of <paramref name="baseline"/>'s features on the model (null with the problem when they do not fit).</summary>
    public static FeatureLayout? TryCreate(ModelSignature signature, BaselineProfile baseline, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        return TryCreate(signature, [.. baseline.Features.Select(f => f.Name)], out problem);
    }

    /// <summary>Values per row of a tensor (product of the dimensions after the first), 0 when one is unknown.</summary>
    public static int RowWidth(TensorSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Dims is null || spec.Dims.Count <= 1)
        {
            return 1;
        }

        var width = 1;
        for (var i = 1; i < spec.Dims.Count; i++)
        {
            if (!int.TryParse(spec.Dims[i], NumberStyles.None, CultureInfo.InvariantCulture, out var d) || d <= 0)
            {
                return 0;
            }

            width = checked(width * d);
        }

        return width;
    }

    /// <summary>True for float, double and float16 element types.</summary>
    public static bool IsFloat(string elementType) => elementType is "float" or "double" or "float16" or "bfloat16";

    /// <summary>True for integer element types.</summary>
    public static bool IsInteger(string elementType) => elementType is "int8" or "int16" or "int32" or "int64" or "uint8" or "uint16" or "uint32" or "uint64";
}
