using Escala.Core.Monitoring.Baselines;

namespace Escala.Core.Monitoring.Quality;

/// <summary>
/// Checks one request row against a version's baseline: wrong type, missing, out of the seen range (with
/// <see cref="QualityOptions.RangeTolerance"/>), unseen category. Built once per version; <see cref="Check"/>
/// is thread-safe and allocates nothing.
/// </summary>
public sealed class DataQualityCheck
{
    private readonly BaselineProfile _baseline;
    private readonly FieldRule[] _rules;

    /// <summary>Prepares the checks of every feature of <paramref name="baseline"/>.</summary>
    public DataQualityCheck(BaselineProfile baseline, QualityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        options ??= new QualityOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.RangeTolerance, nameof(options.RangeTolerance));
        _baseline = baseline;
        _rules = new FieldRule[baseline.Features.Count];
        for (var i = 0; i < _rules.Length; i++)
        {
            var column = baseline.Features[i];
            var flagMissing = options.Missing switch
            {
                MissingPolicy.Always => true,
                MissingPolicy.Never => false,
                _ => column.Missing == 0,
            };
            double low = double.NegativeInfinity, high = double.PositiveInfinity;
            if (column.Numeric is { } numeric && column.Present > 0)
            {
                var width = numeric.Max - numeric.Min;
                if (width <= 0)
                {
                    width = Math.Max(Math.Abs(numeric.Max), 1);
                }

                low = numeric.Min - (options.RangeTolerance * width);
                high = numeric.Max + (options.RangeTolerance * width);
            }

            var flagUnseen = column.Categorical is { Truncated: false };
            _rules[i] = new FieldRule(column.Kind, flagMissing, flagUnseen, low, high);
        }
    }

    /// <summary>Number of features a row must have.</summary>
    public int FeatureCount => _rules.Length;

    /// <summary>
    /// Checks <paramref name="row"/> (in baseline feature order) and writes up to <c>issues.Length</c> issues.
    /// Returns how many issues the row has (which may exceed what fit). Zero means the row is valid.
    /// </summary>
    public int Check(ReadOnlySpan<FeatureValue> row, Span<QualityIssue> issues)
    {
        if (row.Length != _rules.Length)
        {
            ThrowRowLength(row.Length);
        }

        var found = 0;
        for (var i = 0; i < row.Length; i++)
        {
            var problem = Inspect(i, row[i]);
            if (problem is { } p)
            {
                if (found < issues.Length)
                {
                    ref readonly var rule = ref _rules[i];
                    issues[found] = new QualityIssue(i, _baseline.Features[i].Name, p, row[i], rule.Low, rule.High);
                }

                found++;
            }
        }

        return found;
    }

    /// <summary>True when the row has no quality issue.</summary>
    public bool IsValid(ReadOnlySpan<FeatureValue> row) => Check(row, []) == 0;

    private QualityProblem? Inspect(int index, in FeatureValue value)
    {
        ref readonly var rule = ref _rules[index];
        if (value.IsMissing)
        {
            return rule.FlagMissing ? QualityProblem.Missing : null;
        }

        if (rule.Kind == FeatureKind.Numeric)
        {
            if (value.Kind != FeatureValueKind.Number)
            {
                return QualityProblem.WrongType;
            }

            // Infinity fails both comparisons' complement: it is out of any finite range.
            var x = value.Number;
            return x >= rule.Low && x <= rule.High && double.IsFinite(x) ? null : QualityProblem.OutOfRange;
        }

        if (!rule.FlagUnseen)
        {
            return null;
        }

        return _baseline.LookupOf(index)!.SlotOf(value) >= 0 ? null : QualityProblem.UnseenCategory;
    }

    private void ThrowRowLength(int length) =>
        throw new ArgumentException($"Row has {length} values; the baseline has {_rules.Length} features. Bind the request's fields with BaselineProfile.IndexOf once per version.");

    private readonly record struct FieldRule(FeatureKind Kind, bool FlagMissing, bool FlagUnseen, double Low, double High);
}
