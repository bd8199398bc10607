using System.Globalization;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Explaining;

/// <summary>
/// The numeric outputs of a model as columns per row, the quantities the sampling explainer estimates: every column
/// of a float or double output with rows on its first axis, and every key of a ZipMap-style sequence of maps (one
/// class probability each). Labels (integer or string outputs) are functions of these and are not explained.
/// </summary>
internal static class OutputColumns
{
    /// <summary>The quantities found in one run's outputs (taken from the explained rows' own run).</summary>
    public static List<ScoredQuantity> Describe(IReadOnlyList<OnnxValueInfo> outputs, IReadOnlyDictionary<string, OnnxValue> values, int rows)
    {
        var quantities = new List<ScoredQuantity>();
        foreach (var info in outputs)
        {
            switch (values.GetValueOrDefault(info.Name))
            {
                case OnnxTensor tensor when tensor.ElementType is ElementType.Float or ElementType.Double && tensor.Rank >= 1 && tensor.Dim(0) == rows && rows > 0:
                    var width = tensor.Length / rows;
                    for (var j = 0; j < width; j++)
                    {
                        quantities.Add(new ScoredQuantity(info.Name, null, j));
                    }

                    break;
                case OnnxMapSequence<long> map:
                    quantities.AddRange(map.Keys.ToArray().Select((k, j) => new ScoredQuantity(info.Name, k.ToString(CultureInfo.InvariantCulture), j)));
                    break;
                case OnnxMapSequence<string> map:
                    quantities.AddRange(map.Keys.ToArray().Select((k, j) => new ScoredQuantity(info.Name, k, j)));
                    break;
                default:
                    break;
            }
        }

        return quantities;
    }

    /// <summary>Reads the quantities of every row of one run into <paramref name="target"/> (rows × quantities).</summary>
    public static void Read(IReadOnlyList<ScoredQuantity> quantities, IReadOnlyDictionary<string, OnnxValue> values, int rows, Span<double> target)
    {
        var count = quantities.Count;
        for (var q = 0; q < count; q++)
        {
            var quantity = quantities[q];
            var value = values[quantity.Output];
            for (var r = 0; r < rows; r++)
            {
                target[(r * count) + q] = value switch
                {
                    OnnxTensor<float> f => f[(r * (f.Length / rows)) + quantity.Column],
                    OnnxTensor<double> d => d[(r * (d.Length / rows)) + quantity.Column],
                    OnnxMapSequence<long> m => m.Row(r)[quantity.Column],
                    OnnxMapSequence<string> m => m.Row(r)[quantity.Column],
                    _ => double.NaN,
                };
            }
        }
    }
}
