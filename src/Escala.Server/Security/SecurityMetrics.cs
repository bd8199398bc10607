using System.Diagnostics.Metrics;

namespace Escala.Server.Security;

/// <summary>
/// The security counters, on the <c>Escala.Security</c> meter (so <c>/metrics</c> shows them): refused API keys by
/// reason and requests refused by a rate limit, by limit. Labels are a small fixed set, never an address or a key,
/// so an attacker cannot grow the series. Counted in fields and observed at scrape time, so nothing counted before
/// the first scrape (before any listener exists) is lost.
/// </summary>
public sealed class SecurityMetrics
{
    private long _malformed;
    private long _unknown;
    private long _byKey;
    private long _byAddress;
    private long _byFailedAuthentication;

    /// <summary>Creates the counters on <paramref name="meters"/>.</summary>
    public SecurityMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create("Escala.Security");
        meter.CreateObservableCounter("escala.authentication.failures", () => new[]
        {
            new Measurement<long>(Volatile.Read(ref _malformed), new KeyValuePair<string, object?>("reason", "malformed")),
            new Measurement<long>(Volatile.Read(ref _unknown), new KeyValuePair<string, object?>("reason", "unknown_or_revoked")),
        }, description: "Requests whose API key was refused, by reason (malformed, unknown_or_revoked).");
        meter.CreateObservableCounter("escala.rate_limit.rejections", () => new[]
        {
            new Measurement<long>(Volatile.Read(ref _byKey), new KeyValuePair<string, object?>("limit", "key")),
            new Measurement<long>(Volatile.Read(ref _byAddress), new KeyValuePair<string, object?>("limit", "address")),
            new Measurement<long>(Volatile.Read(ref _byFailedAuthentication), new KeyValuePair<string, object?>("limit", "failed_authentication")),
        }, description: "Requests answered 429 by a rate limit, by limit (key, address, failed_authentication).");
    }

    /// <summary>Counts a refused key (<c>malformed</c> or <c>unknown_or_revoked</c>).</summary>
    public void AuthenticationFailed(string reason)
    {
        if (reason == "malformed")
        {
            Interlocked.Increment(ref _malformed);
        }
        else
        {
            Interlocked.Increment(ref _unknown);
        }
    }

    /// <summary>Counts a request refused by <paramref name="limit"/> (<c>key</c>, <c>address</c> or <c>failed_authentication</c>).</summary>
    public void RateLimited(string limit)
    {
        switch (limit)
        {
            case "key":
                Interlocked.Increment(ref _byKey);
                break;
            case "address":
                Interlocked.Increment(ref _byAddress);
                break;
            default:
                Interlocked.Increment(ref _byFailedAuthentication);
                break;
        }
    }
}
