using System.Text;
using System.Text.Json;
using Escala.Onnx.Tensors;

namespace Escala.Server.Serving;

/// <summary>
/// How a shadow's outputs compare with the answer that was returned, output by output: the share of
/// rows that agree for labels (integers, strings, booleans) and the largest absolute difference for
/// scores (floats, ZipMap probabilities). Written as JSON on the shadow's prediction log line.
/// </summary>
public static class OutputComparison
{
    /// <summary>The comparison as JSON, e.g. <c>{"output_label":{"agreement":0.98},"output_probability":{"maxAbsDiff":0.031}}</c>.</summary>
    public static string Compare(IReadOnlyDictionary<string, OnnxValue> served, IReadOnlyDictionary<string, OnnxValue> shadow)
    {
        ArgumentNullException.ThrowIfNull(served);
        ArgumentNullException.ThrowIfNull(shadow);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, a) in served)
            {
                if (!shadow.TryGetValue(name, out var b))
                {
                    continue;
                }

                writer.WritePropertyName(name);
                writer.WriteStartObject();
                switch ((a, b))
                {
                    case (OnnxTensor<float> x, OnnxTensor<float> y) when x.Length == y.Length:
                        writer.WriteNumber("maxAbsDiff", MaxAbsDiff(x.Span, y.Span));
                        break;
                    case (OnnxTensor<double> x, OnnxTensor<double> y) when x.Length == y.Length:
                        writer.WriteNumber("maxAbsDiff", MaxAbsDiff(x.Span, y.Span));
                        break;
                    case (OnnxMapSequence<long> x, OnnxMapSequence<long> y) when x.Count == y.Count && x.Keys.SequenceEqual(y.Keys):
                        writer.WriteNumber("maxAbsDiff", MaxAbsDiff(x, y));
                        break;
                    case (OnnxMapSequence<string> x, OnnxMapSequence<string> y) when x.Count == y.Count && x.Keys.SequenceEqual(y.Keys):
                        writer.WriteNumber("maxAbsDiff", MaxAbsDiff(x, y));
                        break;
                    case (OnnxTensor<long> x, OnnxTensor<long> y) when x.Length == y.Length:
                        writer.WriteNumber("agreement", Agreement(x.Span, y.Span));
                        break;
                    case (OnnxTensor<int> x, OnnxTensor<int> y) when x.Length == y.Length:
                        writer.WriteNumber("agreement", Agreement(x.Span, y.Span));
                        break;
                    case (OnnxTensor<bool> x, OnnxTensor<bool> y) when x.Length == y.Length:
                        writer.WriteNumber("agreement", Agreement(x.Span, y.Span));
                        break;
                    case (OnnxTensor<string> x, OnnxTensor<string> y) when x.Length == y.Length:
                        writer.WriteNumber("agreement", Agreement(x.Span, y.Span));
                        break;
                    default:
                        writer.WriteString("incomparable", $"{a.Type} vs {b.Type}");
                        break;
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static double MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double max = 0;
        for (var i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs((double)a[i] - b[i]));
        }

        return max;
    }

    private static double MaxAbsDiff(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double max = 0;
        for (var i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        }

        return max;
    }

    private static double MaxAbsDiff<TKey>(OnnxMapSequence<TKey> a, OnnxMapSequence<TKey> b)
        where TKey : notnull
    {
        double max = 0;
        for (var row = 0; row < a.Count; row++)
        {
            max = Math.Max(max, MaxAbsDiff(a.Row(row), b.Row(row)));
        }

        return max;
    }

    private static double Agreement<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
    {
        if (a.Length == 0)
        {
            return 1;
        }

        var same = 0;
        for (var i = 0; i < a.Length; i++)
        {
            same += EqualityComparer<T>.Default.Equals(a[i], b[i]) ? 1 : 0;
        }

        return (double)same / a.Length;
    }
}
