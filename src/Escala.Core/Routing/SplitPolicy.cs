using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Escala.Core.Routing;

/// <summary>
/// A fixed percentage split. The first target is the one that served before the split; promote
/// gives everything to the last one (or to <c>to</c>), rollback returns everything to the first.
/// </summary>
public sealed record SplitPolicy(ImmutableArray<WeightedTarget> Weights) : TrafficPolicy
{
    /// <inheritdoc />
    [JsonIgnore]
    public override Strategy Strategy => Strategy.Split;

    /// <inheritdoc />
    [JsonIgnore]
    public override string Live => Weights[0].Target;

    /// <inheritdoc />
    [JsonIgnore]
    public override IReadOnlyList<string> Targets => [.. Weights.Select(w => w.Target)];

    /// <inheritdoc />
    public override TrafficShape Shape() => new(Weights);

    /// <inheritdoc />
    public override PolicyStep Promote(DateTimeOffset now, string? to)
    {
        var winner = to ?? Weights[^1].Target;
        if (!Weights.Any(w => w.Target == winner))
        {
            return PolicyStep.Refused(RoutingError.Invalid, $"'{winner}' is not part of this split ({string.Join(", ", Targets)}).");
        }

        var previous = winner == Weights[0].Target ? null : Weights[0].Target;
        return PolicyStep.To(new SinglePolicy(winner, previous), $"split promoted: {winner} takes all traffic");
    }

    /// <inheritdoc />
    public override PolicyStep Rollback(DateTimeOffset now) =>
        PolicyStep.To(new SinglePolicy(Weights[0].Target), $"split rolled back: {Weights[0].Target} takes all traffic");

    /// <inheritdoc />
    public override string Describe()
    {
        var total = Weights.Sum(w => w.Weight);
        return "split: " + string.Join(", ", Weights.Select(w => $"{FormatPercent(100 * w.Weight / total)} {w.Target}"));
    }
}
