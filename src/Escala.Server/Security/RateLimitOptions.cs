namespace Escala.Server.Security;

/// <summary>One token bucket: a sustained rate and the burst it may spend at once.</summary>
public sealed class BucketOptions
{
    /// <summary>Tokens added per second (the sustained request rate).</summary>
    public double PerSecond { get; set; }

    /// <summary>The bucket's size: how many requests may arrive at once after a quiet spell.</summary>
    public int Burst { get; set; }

    /// <summary>A bucket of <paramref name="perSecond"/> with room for <paramref name="burst"/>.</summary>
    public static BucketOptions Of(double perSecond, int burst) => new() { PerSecond = perSecond, Burst = burst };
}

/// <summary>The buckets of one class of caller: its control-plane (<c>/api</c>) and data-plane (predictions) calls.</summary>
public sealed class KeyLimits
{
    /// <summary>Calls to <c>/api/...</c> (registry, endpoints, keys, monitoring reads) and everything else that is not a prediction.</summary>
    public BucketOptions? ControlPlane { get; set; }

    /// <summary>Predictions and feedback (<c>/v2/models/{e}/...</c>, <c>/v1/endpoints/{e}/...</c>).</summary>
    public BucketOptions? DataPlane { get; set; }
}

/// <summary>
/// Rate limits (configuration section <c>RateLimits</c>): token buckets per API key (by plane, overridable per role
/// and per prediction endpoint), per client address (every request), and per address for failed authentications.
/// A request over a limit gets <c>429 rate-limited</c> with <c>Retry-After</c>; nothing queues. The defaults are far
/// above what one application sends, so only runaway clients and key guessing meet them.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "RateLimits";

    /// <summary>False turns every limit off.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Each key's buckets unless its role or the endpoint says otherwise.</summary>
    public KeyLimits PerKey { get; set; } = new()
    {
        ControlPlane = BucketOptions.Of(100, 200),
        DataPlane = BucketOptions.Of(20_000, 40_000),
    };

    /// <summary>Per role (viewer, scientist, approver, operator, admin): buckets replacing <see cref="PerKey"/>'s.</summary>
    public Dictionary<string, KeyLimits> Roles { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Per prediction endpoint: each key's data-plane bucket for that endpoint (its own bucket, replacing the role's).</summary>
    public Dictionary<string, BucketOptions> Endpoints { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Every request from one client address, with or without a key.</summary>
    public BucketOptions PerAddress { get; set; } = BucketOptions.Of(50_000, 100_000);

    /// <summary>Requests from one address that presented a key that was refused (malformed, unknown, revoked).</summary>
    public BucketOptions FailedAuthentication { get; set; } = BucketOptions.Of(1, 20);
}
