using System.Globalization;
using System.Text;
using Escala.Core.Monitoring.Baselines;
using Escala.Core.Problems;
using Escala.Core.Registry;
using Escala.Onnx;
using Escala.Onnx.Tensors;
using Escala.Server.Monitoring.Live;

namespace Escala.Server.Monitoring.Baselines;

/// <summary>
/// Builds a version's baseline profile from a reference table (CSV with a header naming the model's features,
/// laid out by <see cref="FeatureLayout"/>): every field is checked against the type of the model input it feeds
/// (an error names the line, the column and the input), and the rows are scored with the model itself in chunks,
/// so the profile also holds the prediction's distribution. Streams: memory is the builder's values plus one chunk.
/// </summary>
public static class ReferenceBaselines
{
    /// <summary>Rows scored per model run.</summary>
    public const int ChunkRows = 4096;

    /// <summary>Markers read as a missing value, besides an empty field.</summary>
    public static readonly IReadOnlySet<string> DefaultMissingMarkers =
        new HashSet<string>(["NA", "N/A", "NaN", "nan", "null", "NULL", "None", "?"], StringComparer.Ordinal);

    /// <summary>Reads the CSV in <paramref name="csv"/> and profiles it for the model (<paramref name="session"/> scores it).</summary>
    public static BaselineProfile Build(
        TextReader csv, ModelSignature signature, InferenceSession session, IReadOnlySet<string>? missingMarkers = null, int maxRows = 1_000_000,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(session);
        missingMarkers ??= DefaultMissingMarkers;
        var reader = new ReferenceCsvReader(csv);
        var fields = new List<string>();
        if (!reader.TryRead(fields, out _))
        {
            throw ProblemTypes.InvalidBaseline.With("The baseline CSV is empty; its first line must name the model's features, and each further line is one reference row.");
        }

        var header = fields.Select(f => f.Trim()).ToArray();
        var layout = FeatureLayout.TryCreate(signature, header, out var problem)
            ?? throw ProblemTypes.InvalidBaseline.With($"The baseline CSV's header (line 1) does not fit the model: {problem}");
        var prediction = PredictionColumn.Of(signature);
        var kinds = new Dictionary<string, FeatureKind>(StringComparer.Ordinal);
        var columns = new ColumnType[header.Length];
        foreach (var input in layout.Inputs)
        {
            foreach (var feature in input.Features)
            {
                columns[feature] = new ColumnType(input.Input, input.ElementType);
                kinds[header[feature]] = input.IsText ? FeatureKind.Categorical : FeatureKind.Numeric;
            }
        }

        if (prediction is not null)
        {
            // A class label is profiled as categories even when it is a number, as the live windows read it.
            kinds[prediction.Name] = prediction.Kind;
        }

        var builder = new BaselineBuilder(header, new BaselineOptions
        {
            Kinds = kinds,
            MaxRows = maxRows,
            PredictionName = prediction?.Name ?? "prediction",
        });
        var chunk = new List<(FeatureValue[] Row, long Line)>(ChunkRows);
        while (!builder.IsFull && reader.TryRead(fields, out var line))
        {
            if (fields.Count != header.Length)
            {
                throw ProblemTypes.InvalidBaseline.With(string.Create(CultureInfo.InvariantCulture,
                    $"The baseline CSV, line {line}: {fields.Count} fields, but the header names {header.Length} columns."));
            }

            var row = new FeatureValue[header.Length];
            for (var c = 0; c < row.Length; c++)
            {
                row[c] = Parse(fields[c], columns[c], header[c], line, c + 1, missingMarkers);
            }

            chunk.Add((row, line));
            if (chunk.Count == ChunkRows)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Flush(chunk, builder, layout, prediction, session);
            }
        }

        Flush(chunk, builder, layout, prediction, session);
        if (builder.RowCount == 0)
        {
            throw ProblemTypes.InvalidBaseline.With("The baseline CSV has a header but no rows; add at least one reference row.");
        }

        try
        {
            return builder.Build();
        }
        catch (BaselineException e)
        {
            throw ProblemTypes.InvalidBaseline.With($"The baseline cannot be built: {e.Message}", e);
        }
    }

    /// <summary>Reads <paramref name="bytes"/> as UTF-8 (a BOM is skipped) and profiles it.</summary>
    public static BaselineProfile Build(ReadOnlyMemory<byte> bytes, ModelSignature signature, InferenceSession session, IReadOnlySet<string>? missingMarkers = null)
    {
        using var stream = new MemoryStream(bytes.ToArray(), writable: false);
        using var text = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
        try
        {
            return Build(text, signature, session, missingMarkers);
        }
        catch (DecoderFallbackException e)
        {
            throw ProblemTypes.InvalidBaseline.With("The baseline CSV is not UTF-8 text.", e);
        }
    }

    /// <summary>
    /// Model inputs for reference rows already split into fields (an explanation background, a holdout table): each
    /// field parsed against the input it feeds, rows that an integer or string input cannot hold (a missing value) left
    /// out; <paramref name="kept"/> gets the index of each row fed.
    /// </summary>
    internal static IReadOnlyDictionary<string, OnnxValue> Feeds(
        string[] header, IReadOnlyList<string[]> rows, ModelSignature signature, IReadOnlyList<OnnxValueInfo> inputs, List<int>? kept = null)
    {
        var layout = FeatureLayout.TryCreate(signature, header, out var problem)
            ?? throw ProblemTypes.InvalidBaseline.With($"The reference table's header does not fit the model: {problem}");
        var columns = new ColumnType[header.Length];
        foreach (var input in layout.Inputs)
        {
            foreach (var feature in input.Features)
            {
                columns[feature] = new ColumnType(input.Input, input.ElementType);
            }
        }

        var chunk = new List<(FeatureValue[] Row, long Line)>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].Length != header.Length)
            {
                continue;
            }

            var row = new FeatureValue[header.Length];
            for (var c = 0; c < row.Length; c++)
            {
                row[c] = Parse(rows[i][c], columns[c], header[c], i + 2, c + 1, DefaultMissingMarkers);
            }

            if (layout.Inputs.All(input => FeatureLayout.IsFloat(input.ElementType) || !Array.Exists(input.Features, f => row[f].IsMissing)))
            {
                chunk.Add((row, i + 2));
                kept?.Add(i);
            }
        }

        var all = Enumerable.Range(0, chunk.Count).ToList();
        var shapes = inputs.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var feeds = new Dictionary<string, OnnxValue>(StringComparer.Ordinal);
        foreach (var input in layout.Inputs)
        {
            var rank = shapes[input.Input].Type.Shape?.Count ?? 2;
            var shape = rank <= 1 ? new[] { chunk.Count } : Shape(shapes[input.Input], chunk.Count, input.Width);
            feeds[input.Input] = Tensor(input, all, chunk, shape);
        }

        return feeds;
    }

    private static FeatureValue Parse(string field, ColumnType column, string name, long line, int col, IReadOnlySet<string> missing)
    {
        var text = field.Trim();
        if (text.Length == 0 || missing.Contains(text))
        {
            return FeatureValue.Missing;
        }

        if (column.ElementType == "string")
        {
            return FeatureValue.Of(text);
        }

        if (column.ElementType == "bool")
        {
            if (text is "true" or "True" or "TRUE" or "1")
            {
                return FeatureValue.Of(1);
            }

            if (text is "false" or "False" or "FALSE" or "0")
            {
                return FeatureValue.Of(0);
            }
        }
        else if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && !double.IsInfinity(number))
        {
            if (FeatureLayout.IsInteger(column.ElementType) && number != Math.Floor(number))
            {
                throw ProblemTypes.InvalidBaseline.With(
                    $"The baseline CSV, line {line}, column {col} ('{name}'): '{Printable(text)}' is not a whole number; the model's input '{column.Input}' takes {column.ElementType}.");
            }

            return FeatureValue.Of(number);
        }

        throw ProblemTypes.InvalidBaseline.With(
            $"The baseline CSV, line {line}, column {col} ('{name}'): '{Printable(text)}' is not a {(column.ElementType == "bool" ? "boolean" : "number")}; the model's input '{column.Input}' takes {column.ElementType}. Leave the field empty (or NA) for a missing value.");
    }

    private static void Flush(List<(FeatureValue[] Row, long Line)> chunk, BaselineBuilder builder, FeatureLayout layout, PredictionColumn? prediction, InferenceSession session)
    {
        if (chunk.Count == 0)
        {
            return;
        }

        var predictions = prediction is null ? null : Score(chunk, layout, prediction, session);
        for (var i = 0; i < chunk.Count; i++)
        {
            builder.Add(chunk[i].Row, predictions?[i] ?? FeatureValue.Missing);
        }

        chunk.Clear();
    }

    // Scores the rows whose values every input can hold (a missing value is NaN for float inputs; a row missing an
    // integer or string value cannot be fed and gets no prediction).
    private static FeatureValue[] Score(List<(FeatureValue[] Row, long Line)> chunk, FeatureLayout layout, PredictionColumn prediction, InferenceSession session)
    {
        var scorable = new List<int>(chunk.Count);
        for (var i = 0; i < chunk.Count; i++)
        {
            var ok = true;
            foreach (var input in layout.Inputs)
            {
                if (!FeatureLayout.IsFloat(input.ElementType) && Array.Exists(input.Features, f => chunk[i].Row[f].IsMissing))
                {
                    ok = false;
                    break;
                }
            }

            if (ok)
            {
                scorable.Add(i);
            }
        }

        var result = new FeatureValue[chunk.Count];
        if (scorable.Count == 0)
        {
            return result;
        }

        var feeds = new Dictionary<string, OnnxValue>(StringComparer.Ordinal);
        var shapes = session.Inputs.ToDictionary(i => i.Name, StringComparer.Ordinal);
        foreach (var input in layout.Inputs)
        {
            var rank = shapes[input.Input].Type.Shape?.Count ?? 2;
            var shape = rank <= 1 ? new[] { scorable.Count } : Shape(shapes[input.Input], scorable.Count, input.Width);
            feeds[input.Input] = Tensor(input, scorable, chunk, shape);
        }

        IReadOnlyDictionary<string, OnnxValue> outputs;
        try
        {
            outputs = session.Run(feeds);
        }
        catch (OnnxException e)
        {
            throw ProblemTypes.InvalidBaseline.With(
                $"The model could not score the reference rows of lines {chunk[0].Line}-{chunk[^1].Line}: {e.Message}", e);
        }

        if (outputs.TryGetValue(prediction.Output, out var value) && value is OnnxTensor tensor)
        {
            for (var k = 0; k < scorable.Count; k++)
            {
                var index = (k * prediction.Width) + prediction.Column;
                result[scorable[k]] = index < tensor.Length ? RowReader.ValueAt(tensor, index) : FeatureValue.Missing;
            }
        }

        return result;
    }

    private static int[] Shape(OnnxValueInfo info, int rows, int width)
    {
        // Keep the model's own trailing dimensions (e.g. [N, 1] or [N, 2, 3]) when they are fixed; otherwise [N, width].
        var dims = info.Type.Shape!;
        var shape = new int[dims.Count];
        shape[0] = rows;
        var product = 1;
        for (var i = 1; i < dims.Count; i++)
        {
            if (dims[i].Value is not { } fixedDim)
            {
                return [rows, width];
            }

            shape[i] = (int)fixedDim;
            product *= shape[i];
        }

        return product == width ? shape : [rows, width];
    }

    private static OnnxTensor Tensor(InputColumns input, List<int> rows, List<(FeatureValue[] Row, long Line)> chunk, int[] shape)
    {
        var width = input.Width;
        var n = rows.Count * width;
        double Number(int k, int j) => chunk[rows[k]].Row[input.Features[j]] is { IsMissing: false } v ? v.Number : double.NaN;
        switch (input.ElementType)
        {
            case "string":
                var texts = new string[n];
                Fill(texts, rows.Count, width, (k, j) => chunk[rows[k]].Row[input.Features[j]].Text ?? "");
                return new OnnxTensor<string>(texts, shape);
            case "double":
                var doubles = new double[n];
                Fill(doubles, rows.Count, width, Number);
                return new OnnxTensor<double>(doubles, shape);
            case "float":
                var floats = new float[n];
                Fill(floats, rows.Count, width, (k, j) => (float)Number(k, j));
                return new OnnxTensor<float>(floats, shape);
            case "int64":
                var longs = new long[n];
                Fill(longs, rows.Count, width, (k, j) => (long)Number(k, j));
                return new OnnxTensor<long>(longs, shape);
            case "int32":
                var ints = new int[n];
                Fill(ints, rows.Count, width, (k, j) => (int)Number(k, j));
                return new OnnxTensor<int>(ints, shape);
            case "bool":
                var bools = new bool[n];
                Fill(bools, rows.Count, width, (k, j) => Number(k, j) != 0);
                return new OnnxTensor<bool>(bools, shape);
            default:
                throw ProblemTypes.InvalidBaseline.With(
                    $"The model's input '{input.Input}' is {input.ElementType}; baselines from a reference table support float, double, int64, int32, bool and string inputs.");
        }
    }

    private static void Fill<T>(T[] target, int rows, int width, Func<int, int, T> value)
    {
        for (var k = 0; k < rows; k++)
        {
            for (var j = 0; j < width; j++)
            {
                target[(k * width) + j] = value(k, j);
            }
        }
    }

    private static string Printable(string text) => Core.Naming.ResourceName.Printable(text.Length > 60 ? text[..60] + "..." : text);

    private readonly record struct ColumnType(string Input, string ElementType);
}
