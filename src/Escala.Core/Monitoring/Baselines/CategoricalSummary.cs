namespace Escala.Core.Monitoring.Baselines;

/// <summary>
/// The reference distribution of a categorical column: the most frequent categories with their counts and,
/// when there were more distinct values than the profile keeps, an "other" bucket holding the rest.
/// </summary>
/// <param name="Categories">Kept categories, most frequent first (ties by ordinal name).</param>
/// <param name="Counts">Reference count of each kept category.</param>
/// <param name="OtherCount">Reference values that fell in the "other" bucket (the tail beyond the kept categories).</param>
/// <param name="Truncated">True when the tail was collapsed: then an unknown value may be a rare known one, so it is not flagged as unseen.</param>
public sealed record CategoricalSummary(string[] Categories, long[] Counts, long OtherCount, bool Truncated)
{
    /// <summary>Number of counting slots: one per category plus "other".</summary>
    public int SlotCount => Categories.Length + 1;
}
