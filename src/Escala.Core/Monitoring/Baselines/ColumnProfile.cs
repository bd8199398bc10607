namespace Escala.Core.Monitoring.Baselines;

/// <summary>The reference profile of one column (a feature or the prediction).</summary>
/// <param name="Name">Column name as the model's input (or output) calls it.</param>
/// <param name="Kind">Numeric or categorical.</param>
/// <param name="Count">Reference rows (missing included).</param>
/// <param name="Missing">Reference rows where the value was missing.</param>
/// <param name="Numeric">The numeric summary, when <see cref="Kind"/> is numeric.</param>
/// <param name="Categorical">The categorical summary, when <see cref="Kind"/> is categorical.</param>
public sealed record ColumnProfile(
    string Name,
    FeatureKind Kind,
    long Count,
    long Missing,
    NumericSummary? Numeric,
    CategoricalSummary? Categorical)
{
    /// <summary>Fraction of reference rows with no value.</summary>
    public double MissingRate => Count == 0 ? 0 : (double)Missing / Count;

    /// <summary>Reference rows with a value.</summary>
    public long Present => Count - Missing;
}
