namespace Escala.Core.Routing;

/// <summary>
/// What the router needs to know about one request: the caller's department, the subject key
/// for sticky A/B assignment, and two uniform 32-bit draws (one picks the serving version, the
/// other decides whether a shadow copy is sent). Draws come from the caller so tests can fix them.
/// </summary>
public readonly record struct RouteRequest(string? Department, string? Subject, uint TrafficDraw, uint ShadowDraw)
{
    /// <summary>A request with fresh draws from <see cref="Random.Shared"/> (thread-safe, no allocation).</summary>
    public static RouteRequest WithRandomDraws(string? department, string? subject) =>
        new(department, subject, (uint)Random.Shared.NextInt64(0, 1L << 32), (uint)Random.Shared.NextInt64(0, 1L << 32));
}

/// <summary>Why the router picked what it picked.</summary>
public enum RouteReason
{
    /// <summary>Nothing serves this request's scope: no default policy and no department rule.</summary>
    NotRouted,

    /// <summary>The endpoint's default policy, by a random draw.</summary>
    Default,

    /// <summary>The caller's department has its own policy.</summary>
    Department,

    /// <summary>A sticky A/B assignment by the request's subject.</summary>
    Sticky,

    /// <summary>An A/B test without a subject on the request: the control variant answers.</summary>
    NoSubject,
}

/// <summary>The router's pick: indexes into <see cref="RoutingPlan.Targets"/> (-1 for none) and the reason.</summary>
public readonly record struct RouteDecision(int Target, int Shadow, RouteReason Reason, bool FromDepartment)
{
    /// <summary>Nothing serves the request's scope.</summary>
    public static readonly RouteDecision NotRouted = new(-1, -1, RouteReason.NotRouted, false);

    /// <summary>True when a target was picked.</summary>
    public bool IsRouted => Target >= 0;
}
