using System.Text.Json.Serialization;

namespace Escala.Core.Routing;

/// <summary>
/// Blue-green: <see cref="Blue"/> served before the deploy, <see cref="Green"/> is the new version,
/// loaded and warmed but idle until promote switches all traffic at once. After the switch the
/// blue one stays warm, so rollback is another instant switch (and promote switches forward
/// again). Promoting while green is live finishes the rollout; rolling back while blue is live
/// abandons it.
/// </summary>
public sealed record BlueGreenPolicy(string Blue, string Green, bool GreenLive) : TrafficPolicy
{
    /// <inheritdoc />
    [JsonIgnore]
    public override Strategy Strategy => Strategy.BlueGreen;

    /// <inheritdoc />
    [JsonIgnore]
    public override string Live => GreenLive ? Green : Blue;

    /// <summary>The warm version not taking traffic.</summary>
    [JsonIgnore]
    public string Standby => GreenLive ? Blue : Green;

    /// <inheritdoc />
    [JsonIgnore]
    public override IReadOnlyList<string> Targets => [Blue, Green];

    /// <inheritdoc />
    public override TrafficShape Shape() =>
        // The standby is listed with zero weight: the router never picks it, but it stays loaded and warm.
        new([new WeightedTarget(Live, 1), new WeightedTarget(Standby, 0)]);

    /// <inheritdoc />
    public override PolicyStep Promote(DateTimeOffset now, string? to)
    {
        if (to is not null && to != Green)
        {
            return PolicyStep.Refused(RoutingError.Invalid, $"'{to}' is not the green version ({Green}); only it can be promoted.");
        }

        return GreenLive
            ? PolicyStep.To(new SinglePolicy(Green, Blue), $"blue-green finished: {Green} is the only version, {Blue} released")
            : PolicyStep.To(this with { GreenLive = true }, $"switched to green: {Green} takes all traffic, {Blue} kept warm");
    }

    /// <inheritdoc />
    public override PolicyStep Rollback(DateTimeOffset now) => GreenLive
        ? PolicyStep.To(this with { GreenLive = false }, $"switched back to blue: {Blue} takes all traffic, {Green} kept warm")
        : PolicyStep.To(new SinglePolicy(Blue), $"blue-green abandoned: {Blue} stays, {Green} released");

    /// <inheritdoc />
    public override string Describe() => $"blue-green: 100% {Live} ({(GreenLive ? "green" : "blue")}), standby {Standby} warm";
}
