using System.Text.Json.Serialization;

namespace Escala.Core.Routing;

/// <summary>One version takes all traffic; <see cref="Previous"/> remembers what served before, for rollback.</summary>
public sealed record SinglePolicy(string Target, string? Previous = null) : TrafficPolicy
{
    /// <inheritdoc />
    [JsonIgnore]
    public override Strategy Strategy => Strategy.Single;

    /// <inheritdoc />
    [JsonIgnore]
    public override string Live => Target;

    /// <inheritdoc />
    [JsonIgnore]
    public override IReadOnlyList<string> Targets => [Target];

    /// <inheritdoc />
    public override TrafficShape Shape() => TrafficShape.Single(Target);

    /// <inheritdoc />
    public override PolicyStep Promote(DateTimeOffset now, string? to) =>
        PolicyStep.Refused(RoutingError.NothingToPromote, $"'{Target}' already takes all traffic; deploy a new version with a strategy first.");

    /// <inheritdoc />
    public override PolicyStep Rollback(DateTimeOffset now) => Previous is null
        ? PolicyStep.Refused(RoutingError.NothingToRollBack, $"'{Target}' takes all traffic and no earlier version is recorded to return to.")
        : PolicyStep.To(new SinglePolicy(Previous), $"rolled back from {Target} to {Previous}");

    /// <inheritdoc />
    public override string Describe() => $"single: 100% {Target}" + (Previous is null ? string.Empty : $" (rollback returns to {Previous})");
}
