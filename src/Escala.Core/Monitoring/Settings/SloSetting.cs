using System.Globalization;
using Escala.Core.Monitoring.Latency;

namespace Escala.Core.Monitoring.Settings;

/// <summary>An endpoint's availability objective, stored with its monitoring settings.</summary>
/// <param name="Target">Fraction of eligible requests that must succeed, e.g. 0.999.</param>
/// <param name="PeriodDays">The compliance period, in days (the error budget covers it).</param>
/// <param name="FallbacksAreBad">True to count fallback answers against the budget.</param>
public sealed record SloSetting(double Target = 0.999, int PeriodDays = 30, bool FallbacksAreBad = false)
{
    /// <summary>99.9% over 30 days, fallbacks counted as available: the common default for an internal API.</summary>
    public static SloSetting Default { get; } = new();

    /// <summary>The Core objective.</summary>
    public ServiceLevelObjective ToObjective() => new(Target, TimeSpan.FromDays(PeriodDays), FallbacksAreBad);

    /// <summary>Problems with the setting, each naming the field; empty when valid.</summary>
    public IEnumerable<string> Problems(string path)
    {
        if (!(Target > 0 && Target < 1))
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{path}.target must be a fraction in (0, 1), e.g. 0.999; got {Target}.");
        }

        if (PeriodDays is < 1 or > 366)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{path}.periodDays must be between 1 and 366; got {PeriodDays}.");
        }
    }
}
