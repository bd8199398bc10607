using Escala.Core.Monitoring.Baselines;

namespace Escala.Core.Monitoring.Drift;

/// <summary>A method and its threshold.</summary>
/// <param name="Method">The statistic that decides.</param>
/// <param name="Threshold">For distances (PSI, Wasserstein, Jensen-Shannon) drift when the score is at least this; for tests (KS, chi-square) the family-wise significance level.</param>
public sealed record DriftRule(DriftMethod Method, double Threshold);

/// <summary>
/// How drift is judged for an endpoint. Defaults (reasons and the measured sensitivity in docs/monitoring.md):
/// <see cref="DriftMethod.Auto"/> for every column, so windows under <see cref="LargeWindow"/> values are judged by a
/// test (KS or chi-square at <see cref="Alpha"/>) and larger ones by an effect size of at least 0.1 (normalised
/// Wasserstein or Jensen-Shannon). Tests use a family-wise level: the p-value must be below <see cref="Alpha"/> divided
/// by the number of columns judged (Bonferroni). A distance verdict also needs the shift to be significant at that
/// level, so sampling noise does not fire on a distance alone.
/// </summary>
public sealed record DriftPolicy
{
    /// <summary>The defaults.</summary>
    public static DriftPolicy Default { get; } = new();

    /// <summary>Rule for numeric columns without an override.</summary>
    public DriftRule Numeric { get; init; } = new(DriftMethod.Auto, 0.1);

    /// <summary>Rule for categorical columns without an override.</summary>
    public DriftRule Categorical { get; init; } = new(DriftMethod.Auto, 0.1);

    /// <summary>Rules by column name (a feature, or the prediction's name).</summary>
    public IReadOnlyDictionary<string, DriftRule>? Overrides { get; init; }

    /// <summary>Family-wise significance level of the tests, shared by all columns of a report (Bonferroni). Default 0.01.</summary>
    public double Alpha { get; init; } = 0.01;

    /// <summary>Present values in a window from which <see cref="DriftMethod.Auto"/> judges by effect size rather than by a test. Default 1,000 (Evidently's).</summary>
    public long LargeWindow { get; init; } = 1_000;

    /// <summary>Fewest present values a window needs for a verdict. Default 100.</summary>
    public long MinimumCount { get; init; } = 100;

    /// <summary>Equal-mass reference bins for numeric PSI and Jensen-Shannon (fine bins are grouped). Default 10.</summary>
    public int PsiBins { get; init; } = 10;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        ValidateRule(Numeric, "Numeric");
        ValidateRule(Categorical, "Categorical");
        if (Overrides is not null)
        {
            foreach (var (name, rule) in Overrides)
            {
                ValidateRule(rule, $"Overrides['{name}']");
            }
        }

        if (!(Alpha > 0 && Alpha < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, "Alpha must be in (0, 1).");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MinimumCount, 1, nameof(MinimumCount));
        ArgumentOutOfRangeException.ThrowIfLessThan(LargeWindow, 1, nameof(LargeWindow));
        ArgumentOutOfRangeException.ThrowIfLessThan(PsiBins, 2, nameof(PsiBins));
    }

    /// <summary>The rule of column <paramref name="name"/>.</summary>
    public DriftRule RuleFor(string name, FeatureKind kind) =>
        Overrides is not null && Overrides.TryGetValue(name, out var rule)
            ? rule
            : kind == FeatureKind.Numeric ? Numeric : Categorical;

    /// <summary>
    /// The method and threshold that judge a column of <paramref name="kind"/> under <paramref name="rule"/> in a window of
    /// <paramref name="windowCount"/> present values: <see cref="DriftMethod.Auto"/> resolved by the window's size, any
    /// other rule as it is.
    /// </summary>
    public DriftRule Resolve(DriftRule rule, FeatureKind kind, long windowCount)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.Method != DriftMethod.Auto)
        {
            return rule;
        }

        return windowCount < LargeWindow
            ? new DriftRule(kind == FeatureKind.Numeric ? DriftMethod.KolmogorovSmirnov : DriftMethod.ChiSquare, Alpha)
            : new DriftRule(kind == FeatureKind.Numeric ? DriftMethod.Wasserstein : DriftMethod.JensenShannon, rule.Threshold);
    }

    private static void ValidateRule(DriftRule? rule, string where)
    {
        if (rule is null)
        {
            throw new ArgumentOutOfRangeException(where, "A drift rule is required.");
        }

        var isTest = rule.Method is DriftMethod.KolmogorovSmirnov or DriftMethod.ChiSquare;
        if (!double.IsFinite(rule.Threshold) || rule.Threshold <= 0 || (isTest && rule.Threshold >= 1))
        {
            throw new ArgumentOutOfRangeException(where, rule.Threshold, isTest
                ? $"{rule.Method} takes a significance level in (0, 1)."
                : $"{rule.Method} takes a positive distance threshold.");
        }
    }
}
