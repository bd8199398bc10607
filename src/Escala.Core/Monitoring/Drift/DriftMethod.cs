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
