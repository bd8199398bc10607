namespace Escala.Core.Fairness;

/// <summary>One scored row for fairness metrics: its group, whether the model predicted the positive class, and the true label when known.</summary>
/// <param name="Group">The row's value of the sensitive attribute(s), e.g. <c>F</c> or <c>F|black</c>.</param>
/// <param name="Predicted">The model predicted the positive class.</param>
/// <param name="Actual">The true label is the positive class; null when the row has no label (only selection rates apply).</param>
public readonly record struct FairnessRow(string Group, bool Predicted, bool? Actual);

/// <summary>How fairness metrics are computed.</summary>
public sealed record FairnessOptions
{
    /// <summary>Groups with fewer rows are reported and flagged, never compared.</summary>
    public int MinGroupSize { get; init; } = 30;

    /// <summary>Bootstrap resamples for the confidence intervals (0: none).</summary>
    public int BootstrapSamples { get; init; } = 1000;

    /// <summary>Coverage of the confidence intervals.</summary>
    public double Confidence { get; init; } = 0.95;

    /// <summary>Seed of the bootstrap, so the same data gives the same intervals.</summary>
    public int Seed { get; init; } = 1607;

    /// <summary>The four-fifths rule's threshold on the disparate impact ratio (29 CFR 1607.4(D)).</summary>
    public double FourFifths { get; init; } = 0.8;
}
