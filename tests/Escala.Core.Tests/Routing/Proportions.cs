using Escala.Core.Routing;

namespace Escala.Core.Tests.Routing;

/// <summary>
/// Counting what a router does over many requests, and the bound a correct router meets.
/// </summary>
/// <remarks>
/// With n independent requests and true share p, the count for a target is Binomial(n, p) with
/// standard deviation sqrt(n p (1 - p)); at n = 10,000 and p = 0.5 that is 50 requests (0.5
/// points). We allow 4.5 standard deviations: a correct router falls outside with probability
/// about 7e-6 per check, while a router that is off by one percentage point at p = 0.5 (100
/// requests, 2 sd) would still pass, so the tests also use shares where a mistake moves far more
/// (e.g. a 5% canary sent 25%). Seeds are fixed, so a run is reproducible, not flaky.
/// </remarks>
internal static class Proportions
{
    public const int Requests = 10_000;
    public const double Sigmas = 4.5;

    public static int[] CountByDraws(RoutingPlan plan, int seed, string? department = null, int n = Requests)
    {
        var random = new Random(seed);
        var counts = new int[plan.Targets.Length];
        for (var i = 0; i < n; i++)
        {
            var decision = plan.Route(new RouteRequest(department, null, (uint)random.NextInt64(0, 1L << 32), (uint)random.NextInt64(0, 1L << 32)));
            counts[decision.Target]++;
        }

        return counts;
    }

    public static void AssertShare(RoutingPlan plan, int[] counts, string target, double expectedShare, int n = Requests)
    {
        var observed = counts[plan.IndexOf(target)];
        AssertCount(observed, expectedShare, target, n);
    }

    public static void AssertCount(int observed, double expectedShare, string what, int n = Requests)
    {
        var expected = n * expectedShare;
        var bound = Sigmas * Math.Sqrt(n * expectedShare * (1 - expectedShare));
        Assert.True(Math.Abs(observed - expected) <= bound,
            $"{what}: {observed} of {n} requests, expected {expected:0} +/- {bound:0.#} ({Sigmas} sd of Binomial({n}, {expectedShare}))");
    }
}
