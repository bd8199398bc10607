using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Escala.Core.Routing;

/// <summary>
/// An A/B test: variants split by weight, assigned by a stable hash of the request's subject key
/// under <see cref="Salt"/>, so one subject always sees the same variant on every gateway node,
/// and a new experiment (a new salt) reshuffles subjects independently of the last. The first
/// variant is the control: it answers requests without a subject and wins a rollback.
/// </summary>
public sealed record AbTestPolicy(ImmutableArray<WeightedTarget> Variants, string Salt) : TrafficPolicy
{
    /// <inheritdoc />
    [JsonIgnore]
    public override Strategy Strategy => Strategy.Ab;

    /// <inheritdoc />
    [JsonIgnore]
    public override string Live => Variants[0].Target;

    /// <inheritdoc />
    [JsonIgnore]
    public override IReadOnlyList<string> Targets => [.. Variants.Select(v => v.Target)];

    /// <inheritdoc />
    public override TrafficShape Shape() => new(Variants, StickySalt: Salt);

    /// <inheritdoc />
    public override PolicyStep Promote(DateTimeOffset now, string? to)
    {
        var winner = to ?? Variants[^1].Target;
        if (!Variants.Any(v => v.Target == winner))
        {
            return PolicyStep.Refused(RoutingError.Invalid, $"'{winner}' is not a variant of this test ({string.Join(", ", Targets)}).");
        }

        var previous = winner == Variants[0].Target ? null : Variants[0].Target;
        return PolicyStep.To(new SinglePolicy(winner, previous), $"A/B test concluded: {winner} takes all traffic");
    }

    /// <inheritdoc />
    public override PolicyStep Rollback(DateTimeOffset now) =>
        PolicyStep.To(new SinglePolicy(Variants[0].Target), $"A/B test stopped: control {Variants[0].Target} takes all traffic");

    /// <inheritdoc />
    public override string Describe()
    {
        var total = Variants.Sum(v => v.Weight);
        return "ab: " + string.Join(", ", Variants.Select(v => $"{FormatPercent(100 * v.Weight / total)} {v.Target}")) + " (sticky by subject)";
    }
}
