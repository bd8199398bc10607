using System.Globalization;

namespace Escala.Core.Monitoring.Baselines;

/// <summary>
/// Builds a <see cref="BaselineProfile"/> from reference rows: a table the server read (CSV parsed with
/// <see cref="FeatureValue.Parse"/>) or the first N live predictions. Keeps the raw values until
/// <see cref="Build"/>, bounded by <see cref="BaselineOptions.MaxRows"/>. Not thread-safe: one builder per source.
/// </summary>
public sealed class BaselineBuilder
{
    private readonly string[] _names;
    private readonly BaselineOptions _options;
    private readonly ColumnBuffer[] _columns;
    private int _rows;
    private bool _hasPrediction;

    /// <summary>Starts a profile of the features <paramref name="featureNames"/> (in row order).</summary>
    public BaselineBuilder(IReadOnlyList<string> featureNames, BaselineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        _options = options ?? new BaselineOptions();
        _options.Validate();
        var unique = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in featureNames)
        {
            if (string.IsNullOrEmpty(name) || !unique.Add(name))
            {
                throw new ArgumentException($"Feature name '{name}' is empty or repeated; names must be unique.", nameof(featureNames));
            }
        }

        _names = [.. featureNames];
        _columns = new ColumnBuffer[_names.Length + 1];
        for (var i = 0; i < _columns.Length; i++)
        {
            _columns[i] = new ColumnBuffer();
        }
    }

    /// <summary>Rows added so far.</summary>
    public int RowCount => _rows;

    /// <summary>True once <see cref="BaselineOptions.MaxRows"/> rows were added; a "first N predictions" baseline is then ready to build.</summary>
    public bool IsFull => _rows >= _options.MaxRows;

    /// <summary>Adds one reference row (in feature order) and, optionally, the prediction made for it.</summary>
    public void Add(ReadOnlySpan<FeatureValue> row, FeatureValue prediction = default)
    {
        if (row.Length != _names.Length)
        {
            throw new ArgumentException($"Row has {row.Length} values; the baseline has {_names.Length} features.", nameof(row));
        }

        if (IsFull)
        {
            return;
        }

        for (var i = 0; i < row.Length; i++)
        {
            _columns[i].Add(row[i]);
        }

        _columns[^1].Add(prediction);
        _hasPrediction |= !prediction.IsMissing;
        _rows++;
    }

    /// <summary>Profiles the rows added so far; throws <see cref="BaselineException"/> when there are none or a declared kind does not fit.</summary>
    public BaselineProfile Build()
    {
        if (_rows == 0)
        {
            throw new BaselineException("The reference data has no rows; a baseline needs at least one.");
        }

        var features = new ColumnProfile[_names.Length];
        for (var i = 0; i < _names.Length; i++)
        {
            features[i] = Profile(_names[i], _columns[i]);
        }

        var prediction = _hasPrediction ? Profile(_options.PredictionName, _columns[^1]) : null;
        return new BaselineProfile(BaselineProfile.CurrentFormat, _rows, features, prediction);
    }

    private ColumnProfile Profile(string name, ColumnBuffer column)
    {
        FeatureKind kind;
        if (_options.Kinds is not null && _options.Kinds.TryGetValue(name, out var declared))
        {
            kind = declared;
            if (kind == FeatureKind.Numeric && column.Texts.Count > 0)
            {
                var sample = column.Texts.Keys.First();
                throw new BaselineException($"Column '{name}' is declared numeric but holds text such as '{sample}'; fix the data or declare it categorical.");
            }
        }
        else
        {
            kind = column.Texts.Count == 0 && column.Numbers.Count > 0 ? FeatureKind.Numeric : FeatureKind.Categorical;
        }

        return kind == FeatureKind.Numeric
            ? new ColumnProfile(name, kind, _rows, column.Missing, ProfileNumeric(column.Numbers), null)
            : new ColumnProfile(name, kind, _rows, column.Missing, null, ProfileCategorical(column));
    }

    private NumericSummary ProfileNumeric(List<double> values)
    {
        if (values.Count == 0)
        {
            return new NumericSummary(0, 0, 0, 0, [], [0], [0]);
        }

        var sorted = values.ToArray();
        Array.Sort(sorted);
        var n = sorted.Length;

        // Welford: stable mean and variance in one pass.
        double mean = 0, m2 = 0;
        for (var i = 0; i < n; i++)
        {
            var delta = sorted[i] - mean;
            mean += delta / (i + 1);
            m2 += delta * (sorted[i] - mean);
        }

        var std = n > 1 ? Math.Sqrt(m2 / (n - 1)) : 0;

        // Nearest-rank quantiles keep edges on observed values, so a discrete feature gets one bin per value
        // and its binned KS equals the exact KS.
        var edges = new List<double>(_options.FineBins);
        for (var k = 1; k < _options.FineBins; k++)
        {
            var rank = (int)Math.Ceiling((double)k * n / _options.FineBins) - 1;
            var edge = sorted[Math.Clamp(rank, 0, n - 1)];
            if (edges.Count == 0 || edge > edges[^1])
            {
                edges.Add(edge);
            }
        }

        var edgeArray = edges.ToArray();
        var counts = new long[edgeArray.Length + 1];
        var sums = new double[counts.Length];
        foreach (var value in sorted)
        {
            var bin = NumericSummary.BinOf(edgeArray, value);
            counts[bin]++;
            sums[bin] += value;
        }

        var means = new double[counts.Length];
        for (var i = 0; i < means.Length; i++)
        {
            means[i] = counts[i] > 0
                ? sums[i] / counts[i]
                : edgeArray.Length == 0 ? sorted[0] : edgeArray[Math.Min(i, edgeArray.Length - 1)];
        }

        return new NumericSummary(sorted[0], sorted[^1], mean, std, edgeArray, counts, means);
    }

    private CategoricalSummary ProfileCategorical(ColumnBuffer column)
    {
        var frequencies = new Dictionary<string, long>(column.Texts, StringComparer.Ordinal);
        foreach (var number in column.Numbers)
        {
            var key = number.ToString("R", CultureInfo.InvariantCulture);
            frequencies[key] = frequencies.GetValueOrDefault(key) + 1;
        }

        var ordered = frequencies.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).ToArray();
        var truncated = ordered.Length > _options.MaxCategories;

        // When the tail is collapsed, one slot goes to "other" so the profile stays within MaxCategories slots.
        var keep = truncated ? _options.MaxCategories - 1 : ordered.Length;
        var categories = new string[keep];
        var counts = new long[keep];
        long other = 0;
        for (var i = 0; i < ordered.Length; i++)
        {
            if (i < keep)
            {
                categories[i] = ordered[i].Key;
                counts[i] = ordered[i].Value;
            }
            else
            {
                other += ordered[i].Value;
            }
        }

        return new CategoricalSummary(categories, counts, other, truncated);
    }

    private sealed class ColumnBuffer
    {
        public List<double> Numbers { get; } = [];

        public Dictionary<string, long> Texts { get; } = new(StringComparer.Ordinal);

        public long Missing { get; private set; }

        public void Add(in FeatureValue value)
        {
            switch (value.Kind)
            {
                case FeatureValueKind.Number when double.IsFinite(value.Number):
                    Numbers.Add(value.Number);
                    break;
                case FeatureValueKind.Text:
                    Texts[value.Text!] = Texts.GetValueOrDefault(value.Text!) + 1;
                    break;
                default:
                    Missing++;
                    break;
            }
        }
    }
}
