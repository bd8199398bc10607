using System.Globalization;
using System.Threading.RateLimiting;
using Escala.Core.Access;
using Escala.Core.Naming;
using Escala.Core.Problems;
using Escala.Server.Problems;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Escala.Server.Security;

/// <summary>
/// Rate limiting with ASP.NET Core's rate limiter: one global limiter chaining a per-address token bucket (every
/// request) with the caller's own bucket: per key and plane (control or data; a prediction endpoint may have its
/// own), or, for a request whose key was refused, a small per-address bucket for failed authentications, so guessing
/// keys is slow. It runs after authentication (the caller is known) and before authorization. Nothing queues: a
/// request over a limit is answered at once with 429 problem details and <c>Retry-After</c>.
/// </summary>
public static partial class RateLimiting
{
    /// <summary>Registers the limiter from <c>RateLimits</c> configuration.</summary>
    public static IServiceCollection AddEscalaRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section);
        services.AddSingleton<SecurityMetrics>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, configured) =>
        {
            var limits = configured.Value;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            if (!limits.Enabled)
            {
                return;
            }

            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, BucketKey>(http =>
                    Bucket(new BucketKey('a', Address(http), null), limits.PerAddress)),
                PartitionedRateLimiter.Create<HttpContext, BucketKey>(http => CallerPartition(http, limits)));
            limiter.OnRejected = (context, _) => RejectAsync(context, limits);
        });
        return services;
    }

    /// <summary>Adds the limiter to the pipeline (after authentication, before authorization).</summary>
    public static IApplicationBuilder UseEscalaRateLimiting(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Created now, so /metrics shows the security counters (at zero) from the first scrape.
        _ = app.ApplicationServices.GetRequiredService<SecurityMetrics>();
        return app.UseRateLimiter();
    }

    // A value key: choosing a partition allocates nothing on the request path.
    private readonly record struct BucketKey(char Kind, string Id, string? Scope);

    private static RateLimitPartition<BucketKey> CallerPartition(HttpContext http, RateLimitOptions limits)
    {
        if (http.Items[typeof(Principal)] is Principal principal)
        {
            var endpoint = DataPlaneEndpoint(http);
            if (endpoint is not null && limits.Endpoints.TryGetValue(endpoint, out var own))
            {
                return Bucket(new BucketKey('e', principal.KeyId, endpoint), own);
            }

            var bucket = KeyBucket(limits, principal.Role, endpoint is not null);
            return Bucket(new BucketKey(endpoint is null ? 'c' : 'd', principal.KeyId, null), bucket);
        }

        return http.Items.ContainsKey(ApiKeyAuthentication.FailureItem)
            ? Bucket(new BucketKey('f', Address(http), null), limits.FailedAuthentication)
            : RateLimitPartition.GetNoLimiter(new BucketKey('n', "", null));
    }

    private static BucketOptions KeyBucket(RateLimitOptions limits, Role role, bool dataPlane)
    {
        var byRole = limits.Roles.TryGetValue(role.ToName(), out var r) ? r : null;
        return (dataPlane ? byRole?.DataPlane ?? limits.PerKey.DataPlane : byRole?.ControlPlane ?? limits.PerKey.ControlPlane)
            ?? BucketOptions.Of(100, 200);
    }

    // Predictions and feedback name their endpoint in the route; everything under /api is the control plane.
    private static string? DataPlaneEndpoint(HttpContext http) =>
        http.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal) ? null : http.GetRouteValue("endpoint") as string;

    private static string Address(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } ip ? (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString() : "unknown";

    private static RateLimitPartition<BucketKey> Bucket(BucketKey key, BucketOptions bucket) =>
        RateLimitPartition.GetTokenBucketLimiter(key, _ => TokenBucket(bucket));

    /// <summary>The token bucket for <paramref name="bucket"/>: refilled ten times a second when the rate allows, else one token at a time.</summary>
    public static TokenBucketRateLimiterOptions TokenBucket(BucketOptions bucket)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        var rate = double.IsFinite(bucket.PerSecond) && bucket.PerSecond > 0 ? bucket.PerSecond : 1;
        var (period, tokens) = rate >= 10
            ? (TimeSpan.FromMilliseconds(100), (int)Math.Min(int.MaxValue, Math.Round(rate / 10)))
            : (TimeSpan.FromSeconds(1 / rate), 1);
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, bucket.Burst),
            TokensPerPeriod = Math.Max(1, tokens),
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }

    private static async ValueTask RejectAsync(OnRejectedContext context, RateLimitOptions limits)
    {
        var http = context.HttpContext;
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var metrics = http.RequestServices.GetRequiredService<SecurityMetrics>();
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimiting).FullName!);
        var address = Address(http);
        string detail;
        if (http.Items[typeof(Principal)] is Principal principal)
        {
            var endpoint = DataPlaneEndpoint(http);
            var bucket = endpoint is not null && limits.Endpoints.TryGetValue(endpoint, out var own) ? own : KeyBucket(limits, principal.Role, endpoint is not null);
            metrics.RateLimited("key");
            LogLimited(logger, "key", address, principal.KeyId, TextSafety.Neutralise(http.Request.Path.Value ?? ""));
            detail = $"The key '{principal.Name}' sent more {(endpoint is null ? "control-plane" : $"prediction requests to '{endpoint}'")} than its limit "
                + $"of {Rate(bucket)} allows; retry after {seconds} s.";
        }
        else if (http.Items.ContainsKey(ApiKeyAuthentication.FailureItem))
        {
            metrics.RateLimited("failed_authentication");
            LogLimited(logger, "failed_authentication", address, "-", TextSafety.Neutralise(http.Request.Path.Value ?? ""));
            detail = $"Too many requests with a refused API key from {address} (limit {Rate(limits.FailedAuthentication)}); retry after {seconds} s with a valid key.";
        }
        else
        {
            metrics.RateLimited("address");
            LogLimited(logger, "address", address, "-", TextSafety.Neutralise(http.Request.Path.Value ?? ""));
            detail = $"Too many requests from {address} (limit {Rate(limits.PerAddress)}); retry after {seconds} s.";
        }

        await ProblemResponses.WriteAsync(http, ProblemTypes.RateLimited, detail);
    }

    private static string Rate(BucketOptions bucket) =>
        string.Create(CultureInfo.InvariantCulture, $"{bucket.PerSecond:0.##} per second, bursts of {bucket.Burst}");

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Rate limit ({Limit}) refused a request from {Address} to {Path} (key {KeyId})")]
    private static partial void LogLimited(ILogger logger, string limit, string address, string keyId, string path);

}
