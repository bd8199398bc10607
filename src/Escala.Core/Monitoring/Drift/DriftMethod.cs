namespace Escala.Core.Monitoring.Drift;

/// <summary>The statistic whose threshold decides a column's drift verdict.</summary>
public enum DriftMethod
{
    /// <summary>Population Stability Index on ~10 equal-mass reference bins (numeric) or on the categories; threshold on PSI.</summary>
    Psi,

    /// <summary>Two-sample Kolmogorov-Smirnov (numeric); threshold is the family-wise significance level for its p-value.</summary>
    KolmogorovSmirnov,

    /// <summary>Wasserstein-1 divided by the reference standard deviation (numeric); threshold on that normalised distance.</summary>
    Wasserstein,

    /// <summary>Chi-square homogeneity test (categorical); threshold is the family-wise significance level for its p-value.</summary>
    ChiSquare,

    /// <summary>Jensen-Shannon distance in base 2 (categorical, or numeric on the PSI bins); threshold on the distance.</summary>
    JensenShannon,

    /// <summary>
    /// Chosen by the window's size, as Evidently does: below <see cref="DriftPolicy.LargeWindow"/> present values a
    /// statistical test (Kolmogorov-Smirnov for numbers, chi-square for categories, at the policy's family-wise
    /// <see cref="DriftPolicy.Alpha"/>), from there an effect size (normalised Wasserstein for numbers, Jensen-Shannon
    /// for categories) at least the rule's threshold. Tests lose nothing on small windows, where noise is large; on large
    /// windows every trivial shift is significant, so the size of the shift decides. Reports name the method used.
    /// </summary>
    Auto,
}

/// <summary>A column's drift verdict for one window.</summary>
public enum DriftVerdict
{
    /// <summary>No drift at the policy's thresholds.</summary>
    Stable,

    /// <summary>Drift: the method's threshold is crossed (and, for distances, the shift is statistically significant).</summary>
    Drifted,

    /// <summary>Too few values in the window (below <see cref="DriftPolicy.MinimumCount"/>) to judge.</summary>
    InsufficientData,
}

/// <summary>How methods are named to people (reports, the CLI's tables, the dashboard).</summary>
public static class DriftMethods
{
    /// <summary>The short name of <paramref name="method"/>: PSI, KS, Wasserstein, chi-square, Jensen-Shannon.</summary>
    public static string ShortName(DriftMethod method) => method switch
    {
        DriftMethod.Psi => "PSI",
        DriftMethod.KolmogorovSmirnov => "KS",
        DriftMethod.Wasserstein => "Wasserstein",
        DriftMethod.ChiSquare => "chi-square",
        DriftMethod.Auto => "auto",
        _ => "Jensen-Shannon",
    };

    /// <summary>Whether <paramref name="method"/> is a significance test (its threshold is a p-value: lower means drift).</summary>
    public static bool IsTest(DriftMethod method) => method is DriftMethod.KolmogorovSmirnov or DriftMethod.ChiSquare;
}
