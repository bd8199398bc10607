using System.Text.Json.Serialization;

namespace Escala.Core.Routing;

/// <summary>
/// Shadow: <see cref="Primary"/> answers every request; <see cref="Shadow"/> gets a copy of
/// <see cref="Percent"/> percent of them off the request path, and its answers are logged and
/// compared but never returned. Promote makes the shadow the primary; rollback drops it.
/// </summary>
public sealed record ShadowPolicy(string Primary, string Shadow, double Percent = 100) : TrafficPolicy
{
    /// <inheritdoc />
    [JsonIgnore]
    public override Strategy Strategy => Strategy.Shadow;

    /// <inheritdoc />
    [JsonIgnore]
    public override string Live => Primary;

    /// <inheritdoc />
    [JsonIgnore]
    public override IReadOnlyList<string> Targets => [Primary, Shadow];

    /// <inheritdoc />
    public override TrafficShape Shape() => new([new WeightedTarget(Primary, 1)], Shadow: Shadow, ShadowPercent: Percent);

    /// <inheritdoc />
    public override PolicyStep Promote(DateTimeOffset now, string? to) => to is not null && to != Shadow
        ? PolicyStep.Refused(RoutingError.Invalid, $"'{to}' is not the shadow ({Shadow}); only it can be promoted.")
        : PolicyStep.To(new SinglePolicy(Shadow, Primary), $"shadow promoted: {Shadow} answers all traffic");

    /// <inheritdoc />
    public override PolicyStep Rollback(DateTimeOffset now) =>
        PolicyStep.To(new SinglePolicy(Primary), $"shadow removed: {Primary} answers, {Shadow} no longer mirrored");

    /// <inheritdoc />
    public override string Describe() => $"shadow: 100% {Primary} answers, {FormatPercent(Percent)} mirrored to {Shadow} (never returned)";
}
