namespace Escala.Core.Monitoring.Quality;

/// <summary>When a missing value counts as a problem.</summary>
public enum MissingPolicy
{
    /// <summary>Only for features that were never missing in the baseline (the default: a model trained with gaps expects them).</summary>
    WhenBaselineHasNone,

    /// <summary>Every missing value is a problem.</summary>
    Always,

    /// <summary>Missing values are never a problem (they are still counted by the windows).</summary>
    Never,
}

/// <summary>Tolerances of the per-request data-quality check.</summary>
public sealed record QualityOptions
{
    /// <summary>
    /// How far beyond the seen range a number may go, as a fraction of the range (max - min) on each side.
    /// Default 0.1: a feature seen in [17, 90] accepts [9.7, 97.3]. A constant baseline feature uses max(|value|, 1) as its range.
    /// </summary>
    public double RangeTolerance { get; init; } = 0.1;

    /// <summary>When a missing value is a problem.</summary>
    public MissingPolicy Missing { get; init; } = MissingPolicy.WhenBaselineHasNone;
}
