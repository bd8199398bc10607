using System.Collections.Immutable;

namespace Escala.Core.Routing;

/// <summary>
/// A request to put <see cref="Target"/> into service with a strategy, for the whole endpoint or
/// for one <see cref="Department"/> only. Options that a strategy does not use are ignored.
/// </summary>
/// <param name="Target">The version (or external backend) to deploy.</param>
/// <param name="Strategy">How it takes traffic from the version serving now.</param>
/// <param name="Department">Null for the endpoint's default traffic; a department name to roll out to that department alone.</param>
/// <param name="Percent">The new version's share for split and A/B (default 50), the shadow's mirrored share (default 100).</param>
/// <param name="Steps">The canary's steps in percent (default 5, 25, 50, 100).</param>
/// <param name="Interval">For a canary, advance one step each interval; null advances only by command.</param>
public sealed record Deployment(
    ServingTarget Target,
    Strategy Strategy,
    string? Department = null,
    double? Percent = null,
    ImmutableArray<double>? Steps = null,
    TimeSpan? Interval = null);
