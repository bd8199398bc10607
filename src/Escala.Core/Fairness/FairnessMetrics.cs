namespace Escala.Core.Fairness;

/// <summary>
/// Group fairness of a binary classifier, with the definitions of Fairlearn (fairlearn/metrics/_fairness_metrics.py,
/// <c>MetricFrame.difference()</c>/<c>ratio()</c> with method <c>between_groups</c>): demographic parity difference
/// = max − min selection rate, ratio = min / max; equal opportunity difference = max − min true positive rate;
/// equalized odds difference = max(TPR difference, FPR difference), ratio = min(TPR ratio, FPR ratio); the disparate
/// impact ratio is min / max selection rate, and the four-fifths rule (29 CFR 1607.4(D)) reads a ratio below 0.8 as
/// evidence of adverse impact. Groups smaller than <see cref="FairnessOptions.MinGroupSize"/> are reported but never
/// compared. Every disparity gets a percentile bootstrap interval, resampling rows within each group (group sizes
/// fixed), the equalized odds composite included (Fairlearn gives none for it, fairlearn#1443). Pure: usable by the
/// evaluation, the live monitor and a pipeline's gate.
/// </summary>
public static class FairnessMetrics
{
    /// <summary>Computes the report for <paramref name="rows"/> grouped by their <see cref="FairnessRow.Group"/>.</summary>
    public static FairnessReport Compute(string attribute, IReadOnlyList<FairnessRow> rows, FairnessOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        options ??= new FairnessOptions();
        var groups = rows.GroupBy(r => r.Group, StringComparer.Ordinal)
            .Select(g => new GroupData(g.Key, [.. g]))
            .OrderByDescending(g => g.Rows.Length).ThenBy(g => g.Name, StringComparer.Ordinal).ToList();
        var metrics = groups.Select(g => Metrics(g.Name, g.Rows, g.Rows.Length < options.MinGroupSize)).ToList();
        var compared = groups.Where(g => g.Rows.Length >= options.MinGroupSize).ToList();
        var notes = new List<string>();
        foreach (var small in metrics.Where(m => m.TooSmall))
        {
            notes.Add($"group '{small.Group}' has {small.Count} rows, fewer than {options.MinGroupSize}: shown, not compared");
        }

        if (compared.Count < 2)
        {
            notes.Add($"{compared.Count} group(s) have at least {options.MinGroupSize} rows; disparities need two");
        }

        var point = Point(compared.Select(g => Counts.Of(g.Rows)).ToArray());
        var intervals = Bootstrap(compared, options);
        Disparity D(int k) => new(point[k], intervals?[k]?.Lower, intervals?[k]?.Upper);
        var ratio = point[DisparateImpact];
        return new FairnessReport(
            attribute, metrics, [.. compared.Select(g => g.Name)],
            D(DemographicParityDifference), D(DemographicParityRatio), D(EqualOpportunityDifference),
            D(EqualizedOddsDifference), D(EqualizedOddsRatio), D(DisparateImpact),
            ratio is { } r ? r < options.FourFifths : null,
            options.Confidence, intervals is null ? 0 : options.BootstrapSamples, options.MinGroupSize, notes);
    }

    private const int DemographicParityDifference = 0;
    private const int DemographicParityRatio = 1;
    private const int EqualOpportunityDifference = 2;
    private const int EqualizedOddsDifference = 3;
    private const int EqualizedOddsRatio = 4;
    private const int DisparateImpact = 5;
    private const int DisparityCount = 6;

    private static GroupMetrics Metrics(string name, FairnessRow[] rows, bool tooSmall)
    {
        var c = Counts.Of(rows);
        return new GroupMetrics(name, c.Rows, c.Labelled, c.SelectionRate, c.TruePositiveRate, c.FalsePositiveRate, c.Accuracy, tooSmall);
    }

    /// <summary>The six disparities over groups' counts (null where fewer than two groups have the rate).</summary>
    private static double?[] Point(Counts[] groups)
    {
        var selection = Spread(groups.Select(g => g.SelectionRate));
        var tpr = Spread(groups.Select(g => g.TruePositiveRate));
        var fpr = Spread(groups.Select(g => g.FalsePositiveRate));
        var result = new double?[DisparityCount];
        result[DemographicParityDifference] = selection?.Max - selection?.Min;
        result[DemographicParityRatio] = Ratio(selection);
        result[EqualOpportunityDifference] = tpr?.Max - tpr?.Min;
        result[EqualizedOddsDifference] = tpr is { } t && fpr is { } f ? Math.Max(t.Max - t.Min, f.Max - f.Min) : null;
        result[EqualizedOddsRatio] = Ratio(tpr) is { } tr && Ratio(fpr) is { } fr ? Math.Min(tr, fr) : null;
        result[DisparateImpact] = Ratio(selection);
        return result;
    }

    private static (double Min, double Max)? Spread(IEnumerable<double?> values)
    {
        var present = values.Where(v => v is not null).Select(v => v!.Value).ToList();
        return present.Count >= 2 ? (present.Min(), present.Max()) : null;
    }

    // min / max; Fairlearn's ratio is undefined when every group's rate is 0 (0/0): null here.
    private static double? Ratio((double Min, double Max)? spread) =>
        spread is { } s && s.Max > 0 ? s.Min / s.Max : null;

    private static (double Lower, double Upper)?[]? Bootstrap(List<GroupData> compared, FairnessOptions options)
    {
        if (options.BootstrapSamples <= 0 || compared.Count < 2)
        {
            return null;
        }

        var random = new Random(options.Seed);
        var samples = new List<double>[DisparityCount];
        for (var k = 0; k < DisparityCount; k++)
        {
            samples[k] = new List<double>(options.BootstrapSamples);
        }

        var counts = new Counts[compared.Count];
        for (var b = 0; b < options.BootstrapSamples; b++)
        {
            for (var g = 0; g < compared.Count; g++)
            {
                var rows = compared[g].Rows;
                var c = default(Counts);
                for (var i = 0; i < rows.Length; i++)
                {
                    c = c.Add(rows[random.Next(rows.Length)]);
                }

                counts[g] = c;
            }

            var values = Point(counts);
            for (var k = 0; k < DisparityCount; k++)
            {
                if (values[k] is { } v)
                {
                    samples[k].Add(v);
                }
            }
        }

        var alpha = (1 - options.Confidence) / 2;
        var result = new (double, double)?[DisparityCount];
        for (var k = 0; k < DisparityCount; k++)
        {
            // A disparity undefined in some resamples (a rate with no denominator) gets no interval rather than a biased one.
            if (samples[k].Count == options.BootstrapSamples)
            {
                samples[k].Sort();
                result[k] = (Quantile(samples[k], alpha), Quantile(samples[k], 1 - alpha));
            }
        }

        return result;
    }

    /// <summary>The q-quantile of sorted values, linearly interpolated (numpy's default).</summary>
    internal static double Quantile(List<double> sorted, double q)
    {
        var position = q * (sorted.Count - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }

    private sealed record GroupData(string Name, FairnessRow[] Rows);

    /// <summary>The confusion counts of a group; rates from them.</summary>
    private readonly record struct Counts(int Rows, int Selected, int Labelled, int Positives, int Negatives, int TruePositives, int FalsePositives, int Correct)
    {
        public double? SelectionRate => Rows > 0 ? (double)Selected / Rows : null;

        public double? TruePositiveRate => Positives > 0 ? (double)TruePositives / Positives : null;

        public double? FalsePositiveRate => Negatives > 0 ? (double)FalsePositives / Negatives : null;

        public double? Accuracy => Labelled > 0 ? (double)Correct / Labelled : null;

        public static Counts Of(FairnessRow[] rows)
        {
            var c = default(Counts);
            foreach (var row in rows)
            {
                c = c.Add(row);
            }

            return c;
        }

        public Counts Add(FairnessRow row)
        {
            var c = this with { Rows = Rows + 1, Selected = Selected + (row.Predicted ? 1 : 0) };
            if (row.Actual is not { } actual)
            {
                return c;
            }

            return c with
            {
                Labelled = c.Labelled + 1,
                Positives = c.Positives + (actual ? 1 : 0),
                Negatives = c.Negatives + (actual ? 0 : 1),
                TruePositives = c.TruePositives + (actual && row.Predicted ? 1 : 0),
                FalsePositives = c.FalsePositives + (!actual && row.Predicted ? 1 : 0),
                Correct = c.Correct + (actual == row.Predicted ? 1 : 0),
            };
        }
    }
}
