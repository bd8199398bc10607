namespace Escala.Core.Pipelines.Gates;

/// <summary>One rule's verdict with the numbers behind it.</summary>
/// <param name="Rule">The rule as written.</param>
/// <param name="Passed">Whether it passed.</param>
/// <param name="Detail">What was compared, with the values.</param>
/// <param name="Skipped">True when it did not apply (a change rule without a champion), which counts as passed.</param>
public sealed record GateOutcome(string Rule, bool Passed, string Detail, bool Skipped = false);

/// <summary>The gate's verdict: passed when every rule passed.</summary>
public sealed record GateResult(bool Passed, IReadOnlyList<GateOutcome> Outcomes)
{
    /// <summary>The first failing rule's detail, for the run's reason.</summary>
    public string Summary => Passed
        ? $"all {Outcomes.Count} rules passed"
        : string.Join("; ", Outcomes.Where(o => !o.Passed).Select(o => $"{o.Rule}: {o.Detail}"));
}
