namespace Escala.Core.Monitoring.Windows;

/// <summary>An immutable, closed (or peeked) window: per-feature summaries in the baseline's bins, and the prediction's.</summary>
/// <param name="Start">When the window opened.</param>
/// <param name="End">When it closed (or was peeked).</param>
/// <param name="Rows">Rows added.</param>
/// <param name="Features">One summary per baseline feature, in baseline order.</param>
/// <param name="Prediction">The prediction's summary, when the baseline profiles it.</param>
public sealed record WindowSnapshot(
    DateTimeOffset Start,
    DateTimeOffset End,
    long Rows,
    IReadOnlyList<ColumnWindow> Features,
    ColumnWindow? Prediction)
{
    /// <summary>Adds two windows over the same baseline (several gateway nodes, or a longer period); the span covers both.</summary>
    public static WindowSnapshot Merge(WindowSnapshot a, WindowSnapshot b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Features.Count != b.Features.Count || (a.Prediction is null) != (b.Prediction is null))
        {
            throw new ArgumentException("Cannot merge windows taken against different baselines.");
        }

        var features = new ColumnWindow[a.Features.Count];
        for (var i = 0; i < features.Length; i++)
        {
            features[i] = ColumnWindow.Merge(a.Features[i], b.Features[i]);
        }

        var prediction = a.Prediction is null ? null : ColumnWindow.Merge(a.Prediction, b.Prediction!);
        return new WindowSnapshot(
            a.Start < b.Start ? a.Start : b.Start,
            a.End > b.End ? a.End : b.End,
            a.Rows + b.Rows,
            features,
            prediction);
    }
}
