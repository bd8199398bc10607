using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Escala.Core.Routing;

/// <summary>
/// A stepwise canary: the new version takes <see cref="Steps"/>[<see cref="Step"/>] percent of
/// traffic, the stable version the rest. Promote (by command, or by timer when
/// <see cref="Interval"/> is set) moves to the next step; promoting past the last step makes the
/// canary the only version. Rollback returns all traffic to the stable version at once.
/// </summary>
public sealed record CanaryPolicy(
    string Stable,
    string Canary,
    ImmutableArray<double> Steps,
    int Step,
    DateTimeOffset StepStartedAt,
    TimeSpan? Interval = null) : TrafficPolicy
{
    /// <summary>The steps used when a deploy names none: 5% -> 25% -> 50% -> 100%.</summary>
    public static readonly ImmutableArray<double> DefaultSteps = [5, 25, 50, 100];

    /// <summary>The canary's current share of traffic, in percent.</summary>
    [JsonIgnore]
    public double CurrentPercent => Steps[Step];

    /// <inheritdoc />
    [JsonIgnore]
    public override Strategy Strategy => Strategy.Canary;

    /// <inheritdoc />
    [JsonIgnore]
    public override string Live => Stable;

    /// <inheritdoc />
    [JsonIgnore]
    public override IReadOnlyList<string> Targets => [Stable, Canary];

    /// <inheritdoc />
    [JsonIgnore]
    public override DateTimeOffset? AdvanceDueAt => Interval is { } every ? StepStartedAt + every : null;

    /// <inheritdoc />
    public override TrafficShape Shape() =>
        new([new WeightedTarget(Stable, 100 - CurrentPercent), new WeightedTarget(Canary, CurrentPercent)]);

    /// <inheritdoc />
    public override PolicyStep Promote(DateTimeOffset now, string? to)
    {
        if (to is not null && to != Canary)
        {
            return PolicyStep.Refused(RoutingError.Invalid, $"'{to}' is not the canary ({Canary}); only the canary can be promoted.");
        }

        if (to is null && Step < Steps.Length - 1)
        {
            var next = this with { Step = Step + 1, StepStartedAt = now };
            return PolicyStep.To(next, $"canary advanced to {FormatPercent(next.CurrentPercent)} {Canary} (step {next.Step + 1} of {Steps.Length})");
        }

        return PolicyStep.To(new SinglePolicy(Canary, Stable), $"canary completed: {Canary} takes all traffic");
    }

    /// <inheritdoc />
    public override PolicyStep Rollback(DateTimeOffset now) =>
        PolicyStep.To(new SinglePolicy(Stable), $"canary rolled back: {Stable} takes all traffic, {Canary} none");

    /// <inheritdoc />
    public override string Describe() =>
        $"canary: {FormatPercent(CurrentPercent)} {Canary}, {FormatPercent(100 - CurrentPercent)} {Stable} (step {Step + 1} of {Steps.Length}: {string.Join(" -> ", Steps.Select(FormatPercent))})"
        + (AdvanceDueAt is { } due ? $", next step due {due:u}" : ", advanced by command");

    /// <summary>Checks a step list: at least one step, each in (0, 100], strictly increasing. Returns the problem or null.</summary>
    public static string? ValidateSteps(IReadOnlyList<double> steps)
    {
        if (steps.Count == 0)
        {
            return "A canary needs at least one step, e.g. 5,25,50,100.";
        }

        for (var i = 0; i < steps.Count; i++)
        {
            if (!double.IsFinite(steps[i]) || steps[i] <= 0 || steps[i] > 100)
            {
                return $"Canary step {i + 1} is {steps[i]}; each step is a percentage above 0 and at most 100.";
            }

            if (i > 0 && steps[i] <= steps[i - 1])
            {
                return $"Canary steps must grow: step {i + 1} ({steps[i]}) is not above step {i} ({steps[i - 1]}).";
            }
        }

        return null;
    }
}
