namespace Escala.Core.Monitoring.Baselines;

/// <summary>
/// How a <see cref="BaselineBuilder"/> profiles the reference data. Missing values (null, empty, a marker,
/// NaN) and infinite numbers count as missing: an infinity carries no distribution to compare with.
/// </summary>
public sealed record BaselineOptions
{
    /// <summary>Quantile bins per numeric column (the resolution of KS and Wasserstein; see docs/monitoring.md). Default 100.</summary>
    public int FineBins { get; init; } = 100;

    /// <summary>Most categories kept per categorical column; the tail is collapsed into "other". Default 200.</summary>
    public int MaxCategories { get; init; } = 200;

    /// <summary>Rows kept at most (a reference table or the first N predictions); further rows are ignored. Default 1,000,000.</summary>
    public int MaxRows { get; init; } = 1_000_000;

    /// <summary>Declared kinds by column name; columns not listed are numeric when every present value is a number, else categorical.</summary>
    public IReadOnlyDictionary<string, FeatureKind>? Kinds { get; init; }

    /// <summary>Name given to the prediction column.</summary>
    public string PredictionName { get; init; } = "prediction";

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a setting is out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(FineBins, 2, nameof(FineBins));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(FineBins, 10_000, nameof(FineBins));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxCategories, 1, nameof(MaxCategories));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRows, 1, nameof(MaxRows));
    }
}
