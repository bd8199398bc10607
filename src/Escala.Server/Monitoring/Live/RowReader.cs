using Escala.Core.Monitoring.Baselines;
using Escala.Onnx.Tensors;

namespace Escala.Server.Monitoring.Live;

/// <summary>
/// Reads a request's decoded input tensors as monitoring rows (one <see cref="FeatureValue"/> per baseline
/// feature, in baseline order) and its output tensors as the prediction column, following a
/// <see cref="FeatureLayout"/> bound once per version. No allocation: the caller passes a flat buffer of
/// rows x features (rented from a pool) and reads row r at <c>[r * features, (r + 1) * features)</c>.
/// </summary>
public sealed class RowReader(FeatureLayout layout, PredictionColumn? prediction)
{
    private readonly InputColumns[] _inputs = [.. layout.Inputs];

    /// <summary>Features per row.</summary>
    public int Features { get; } = layout.Features.Count;

    /// <summary>The layout read.</summary>
    public FeatureLayout Layout { get; } = layout;

    /// <summary>The prediction column read, if any.</summary>
    public PredictionColumn? Prediction { get; } = prediction;

    /// <summary>The number of rows of the inputs (their first dimension), or -1 when they do not fit the layout.</summary>
    public int RowsOf(IReadOnlyDictionary<string, OnnxValue> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var rows = -1;
        foreach (var input in _inputs)
        {
            if (!inputs.TryGetValue(input.Input, out var value) || value is not OnnxTensor tensor)
            {
                return -1;
            }

            var n = tensor.Rank == 0 ? 1 : tensor.Dim(0);
            if ((long)n * input.Width != tensor.Length || (rows >= 0 && n != rows))
            {
                return -1;
            }

            rows = n;
        }

        return rows;
    }

    /// <summary>Fills <paramref name="values"/> (at least rows x <see cref="Features"/>) from the inputs; <paramref name="rows"/> from <see cref="RowsOf"/>.</summary>
    public void Read(IReadOnlyDictionary<string, OnnxValue> inputs, int rows, Span<FeatureValue> values)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var features = Features;
        foreach (var input in _inputs)
        {
            var tensor = (OnnxTensor)inputs[input.Input];
            var map = input.Features;
            var width = map.Length;
            for (var j = 0; j < width; j++)
            {
                var feature = map[j];
                for (var r = 0; r < rows; r++)
                {
                    values[(r * features) + feature] = ValueAt(tensor, (r * width) + j);
                }
            }
        }
    }

    /// <summary>The prediction of row <paramref name="row"/> from the outputs (missing when the model has no prediction column or the output is absent).</summary>
    public FeatureValue PredictionOf(IReadOnlyDictionary<string, OnnxValue>? outputs, int row)
    {
        if (Prediction is not { } column || outputs is null || !outputs.TryGetValue(column.Output, out var value) || value is not OnnxTensor tensor)
        {
            return FeatureValue.Missing;
        }

        var index = (row * column.Width) + column.Column;
        return index < tensor.Length ? ValueAt(tensor, index) : FeatureValue.Missing;
    }

    /// <summary>One element of a tensor as a monitoring value: numbers (NaN is missing), booleans as 0/1, strings as text.</summary>
    public static FeatureValue ValueAt(OnnxTensor tensor, int index) => tensor switch
    {
        OnnxTensor<float> t => FeatureValue.Of(t.Span[index]),
        OnnxTensor<double> t => FeatureValue.Of(t.Span[index]),
        OnnxTensor<long> t => FeatureValue.Of(t.Span[index]),
        OnnxTensor<int> t => FeatureValue.Of(t.Span[index]),
        OnnxTensor<string> t => FeatureValue.Of(t.Span[index]),
        OnnxTensor<bool> t => FeatureValue.Of(t.Span[index] ? 1 : 0),
        OnnxTensor<Half> t => FeatureValue.Of((double)t.Span[index]),
        OnnxTensor<short> t => FeatureValue.Of(t.Span[index]),
        OnnxTensor<sbyte> t => FeatureValue.Of(t.Span[index]),
        OnnxTensor<byte> t => FeatureValue.Of(t.Span[index]),
        OnnxTensor<ushort> t => FeatureValue.Of(t.Span[index]),
        OnnxTensor<uint> t => FeatureValue.Of(t.Span[index]),
        OnnxTensor<ulong> t => FeatureValue.Of(t.Span[index]),
        _ => FeatureValue.Missing,
    };
}
