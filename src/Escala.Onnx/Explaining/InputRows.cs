using System.Globalization;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Explaining;

/// <summary>
/// A batch of model inputs seen as rows of features: every column of every input (its values per row, in input
/// order) is one feature. Hybrid rows, some features from one row and the rest from another, are composed from two
/// such batches: that is how an interventional Shapley value sets a feature "absent" (to a background row's value).
/// </summary>
internal sealed class InputRows
{
    private readonly OnnxTensor[] _tensors;
    private readonly int[] _widths;
    private readonly int[] _offsets;
    private readonly string[] _names;

    public InputRows(IReadOnlyList<OnnxValueInfo> inputs, IReadOnlyDictionary<string, OnnxValue> values, string what)
    {
        _names = [.. inputs.Select(i => i.Name)];
        _tensors = new OnnxTensor[inputs.Count];
        _widths = new int[inputs.Count];
        _offsets = new int[inputs.Count];
        var rows = -1;
        var features = new List<string>();
        for (var i = 0; i < inputs.Count; i++)
        {
            if (!values.TryGetValue(inputs[i].Name, out var value) || value is not OnnxTensor { Rank: >= 1 } tensor)
            {
                throw new OnnxInputException(inputs[i].Name, $"The {what} has no tensor for the model's input '{inputs[i].Name}' (with rows along its first axis).");
            }

            var n = tensor.Dim(0);
            if (rows >= 0 && n != rows)
            {
                throw new OnnxInputException(inputs[i].Name, $"The {what}'s inputs disagree on the number of rows ({rows} and {n}).");
            }

            rows = n;
            _tensors[i] = tensor;
            _widths[i] = n == 0 ? TrailingSize(tensor) : tensor.Length / n;
            _offsets[i] = features.Count;
            for (var j = 0; j < _widths[i]; j++)
            {
                features.Add(_widths[i] == 1 ? inputs[i].Name : string.Create(CultureInfo.InvariantCulture, $"{inputs[i].Name}[{j}]"));
            }
        }

        Rows = Math.Max(rows, 0);
        Features = features;
    }

    /// <summary>Rows in the batch.</summary>
    public int Rows { get; }

    /// <summary>Feature names: the input's name, or <c>input[j]</c> for column j of a wider input.</summary>
    public IReadOnlyList<string> Features { get; }

    /// <summary>Each input's name and the shape of one of its rows (its dims after the first), in input order.</summary>
    public IReadOnlyList<(string Name, int[] RowShape)> RowShapes => [.. _names.Select((n, i) => (n, _tensors[i].ShapeArray()[1..]))];

    /// <summary>The batch as model inputs.</summary>
    public IReadOnlyDictionary<string, OnnxValue> Values => _names.Select((n, i) => (n, (OnnxValue)_tensors[i])).ToDictionary(p => p.n, p => p.Item2, StringComparer.Ordinal);

    /// <summary>Throws unless <paramref name="other"/> has the same inputs, element types and row widths.</summary>
    public void RequireSameLayout(InputRows other, string what)
    {
        for (var i = 0; i < _tensors.Length; i++)
        {
            if (other._tensors[i].ElementType != _tensors[i].ElementType || other._widths[i] != _widths[i])
            {
                throw new OnnxInputException(_names[i],
                    $"The {what}'s input '{_names[i]}' is {other._tensors[i]} but the explained rows have {_tensors[i]}: they must have the same type and columns per row.");
            }
        }
    }

    /// <summary>
    /// Composes <paramref name="count"/> rows: row k takes feature f from row <paramref name="xRow"/>[k] of
    /// <paramref name="x"/> when <paramref name="fromX"/>[k·features + f], else from row <paramref name="zRow"/>[k] of <paramref name="z"/>.
    /// </summary>
    public static Dictionary<string, OnnxValue> Compose(InputRows x, InputRows z, int count, int[] xRow, int[] zRow, bool[] fromX)
    {
        var features = x.Features.Count;
        var result = new Dictionary<string, OnnxValue>(x._names.Length, StringComparer.Ordinal);
        for (var i = 0; i < x._tensors.Length; i++)
        {
            var shape = x._tensors[i].ShapeArray();
            shape[0] = count;
            var plan = new Gather(x._widths[i], x._offsets[i], features, count, xRow, zRow, fromX, shape);
            result[x._names[i]] = (x._tensors[i], z._tensors[i]) switch
            {
                (OnnxTensor<float> a, OnnxTensor<float> b) => plan.Run(a, b),
                (OnnxTensor<double> a, OnnxTensor<double> b) => plan.Run(a, b),
                (OnnxTensor<long> a, OnnxTensor<long> b) => plan.Run(a, b),
                (OnnxTensor<int> a, OnnxTensor<int> b) => plan.Run(a, b),
                (OnnxTensor<string> a, OnnxTensor<string> b) => plan.Run(a, b),
                (OnnxTensor<bool> a, OnnxTensor<bool> b) => plan.Run(a, b),
                (OnnxTensor<Half> a, OnnxTensor<Half> b) => plan.Run(a, b),
                (OnnxTensor<byte> a, OnnxTensor<byte> b) => plan.Run(a, b),
                (OnnxTensor<sbyte> a, OnnxTensor<sbyte> b) => plan.Run(a, b),
                (OnnxTensor<short> a, OnnxTensor<short> b) => plan.Run(a, b),
                (OnnxTensor<ushort> a, OnnxTensor<ushort> b) => plan.Run(a, b),
                (OnnxTensor<uint> a, OnnxTensor<uint> b) => plan.Run(a, b),
                (OnnxTensor<ulong> a, OnnxTensor<ulong> b) => plan.Run(a, b),
                _ => throw new OnnxInputException(x._names[i], $"The input '{x._names[i]}' is {x._tensors[i]}, which the explainers cannot recombine."),
            };
        }

        return result;
    }

    private static int TrailingSize(OnnxTensor tensor)
    {
        var size = 1;
        for (var d = 1; d < tensor.Rank; d++)
        {
            size *= tensor.Dim(d);
        }

        return size;
    }

    private readonly record struct Gather(int Width, int Offset, int Features, int Count, int[] XRow, int[] ZRow, bool[] FromX, int[] Shape)
    {
        public OnnxTensor<T> Run<T>(OnnxTensor<T> x, OnnxTensor<T> z)
        {
            var xs = x.Span;
            var zs = z.Span;
            var data = new T[Count * Width];
            for (var k = 0; k < Count; k++)
            {
                for (var j = 0; j < Width; j++)
                {
                    data[(k * Width) + j] = FromX[(k * Features) + Offset + j] ? xs[(XRow[k] * Width) + j] : zs[(ZRow[k] * Width) + j];
                }
            }

            return new OnnxTensor<T>(data, Shape);
        }
    }
}
