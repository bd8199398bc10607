namespace Escala.Server.Serving;

/// <summary>
/// When a target's circuit breaker opens and for how long (configuration section
/// <c>Gateway:CircuitBreaker</c>). The defaults open a breaker when at least half of at least ten
/// calls in ten seconds failed or missed their deadline, and try again after five seconds.
/// </summary>
public sealed class BreakerOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "Gateway:CircuitBreaker";

    /// <summary>The share of failed calls (0 to 1) in the sampling window that opens the breaker.</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>The fewest calls in the window before the ratio counts.</summary>
    public int MinimumThroughput { get; set; } = 10;

    /// <summary>The sliding window the ratio is measured over.</summary>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an open breaker refuses calls before it lets one through to test the target.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);
}
