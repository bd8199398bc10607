namespace Escala.Core.Monitoring.Latency;

/// <summary>
/// An availability objective (e.g. 99.9% of requests succeed over 30 days) and the error-budget arithmetic
/// of the Google SRE workbook: burn rate = observed error ratio / (1 - target); a burn rate of 1 spends the
/// budget exactly over the period, 14.4 spends 2% of a 30-day budget in one hour.
/// </summary>
/// <param name="Target">Fraction of good requests required, in (0, 1).</param>
/// <param name="Period">The compliance period the budget covers.</param>
/// <param name="FallbacksAreBad">True to count fallback answers against the budget (default false: a fallback is a degraded but available answer).</param>
public sealed record ServiceLevelObjective(double Target, TimeSpan Period, bool FallbacksAreBad = false)
{
    /// <summary>Throws when the target is not in (0, 1) or the period is not positive.</summary>
    public void Validate()
    {
        if (!(Target > 0 && Target < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Target), Target, "An SLO target is a fraction in (0, 1), e.g. 0.999.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Period, TimeSpan.Zero, nameof(Period));
    }

    /// <summary>Bad requests among <paramref name="counts"/> (errors, plus fallbacks when they count). Quality rejections are the caller's fault and never count.</summary>
    public long BadRequests(RequestCounts counts) => counts.Errors + (FallbacksAreBad ? counts.Fallbacks : 0);

    /// <summary>Requests the SLO judges: all but quality rejections.</summary>
    public static long EligibleRequests(RequestCounts counts) => counts.Requests - counts.Rejected;

    /// <summary>Good / eligible requests; 1 when there were none.</summary>
    public double Availability(RequestCounts counts)
    {
        var eligible = EligibleRequests(counts);
        return eligible <= 0 ? 1 : 1 - ((double)BadRequests(counts) / eligible);
    }

    /// <summary>How fast the budget burns over the period these counts cover: error ratio / (1 - target). 0 when there was no traffic.</summary>
    public double BurnRate(RequestCounts counts)
    {
        var eligible = EligibleRequests(counts);
        return eligible <= 0 ? 0 : (double)BadRequests(counts) / eligible / (1 - Target);
    }

    /// <summary>Share of the period's error budget still unspent (1 untouched, 0 spent, negative overspent), from the period's counts so far.</summary>
    public double ErrorBudgetRemaining(RequestCounts periodCounts)
    {
        var eligible = EligibleRequests(periodCounts);
        if (eligible <= 0)
        {
            return 1;
        }

        var allowed = (1 - Target) * eligible;
        return 1 - (BadRequests(periodCounts) / allowed);
    }
}
