namespace Escala.Core.Monitoring.Baselines;

/// <summary>How a feature (or the prediction) is profiled and compared.</summary>
public enum FeatureKind
{
    /// <summary>Ordered numbers: quantile bins, range, mean and standard deviation.</summary>
    Numeric,

    /// <summary>Labels: category frequencies with a bounded "other" bucket.</summary>
    Categorical,
}
