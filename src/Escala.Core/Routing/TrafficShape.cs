using System.Collections.Immutable;

namespace Escala.Core.Routing;

/// <summary>
/// What a traffic policy does to live requests, reduced to the few things the router needs:
/// weighted targets that answer, whether the pick is sticky by subject (and the salt that keeps
/// one experiment's buckets independent of another's), and an optional shadow that gets a copy.
/// Every strategy reduces to this, so the router has one small, fast code path.
/// </summary>
/// <param name="Serving">Targets that answer, with relative weights; a zero weight keeps a target warm without traffic.</param>
/// <param name="StickySalt">When set, the pick hashes the request's subject with this salt instead of drawing at random.</param>
/// <param name="Shadow">A target that receives a copy of requests off the request path; its answer is never returned.</param>
/// <param name="ShadowPercent">The share of requests (0 to 100) copied to <paramref name="Shadow"/>.</param>
public sealed record TrafficShape(
    ImmutableArray<WeightedTarget> Serving,
    string? StickySalt = null,
    string? Shadow = null,
    double ShadowPercent = 0)
{
    /// <summary>All traffic to one target.</summary>
    public static TrafficShape Single(string target) => new([new WeightedTarget(target, 1)]);
}
