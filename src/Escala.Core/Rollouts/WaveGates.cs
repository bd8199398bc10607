using System.Globalization;

namespace Escala.Core.Rollouts;

/// <summary>The gates of a plan's next wave and their verdicts.</summary>
/// <param name="Plan">The plan's name.</param>
/// <param name="NextWave">The wave an advance would serve (1-based), or null when the plan is finished.</param>
/// <param name="Departments">That wave's departments.</param>
/// <param name="Gates">Every gate with its verdict.</param>
public sealed record WaveGateReport(string Plan, int? NextWave, IReadOnlyList<string> Departments, IReadOnlyList<GateResult> Gates)
{
    /// <summary>True when every gate passes.</summary>
    public bool Passed => Gates.All(g => g.Passed);

    /// <summary>The gates that fail.</summary>
    public IEnumerable<GateResult> Failing => Gates.Where(g => !g.Passed);
}

/// <summary>
/// Judges a plan's next wave: every department of it must have ticked all seven readiness items; from the second
/// wave on, the previous wave must have soaked for the plan's period and each KPI gate must pass on the served
/// waves' traffic. A gate without data fails and says so: no evidence is not a pass.
/// </summary>
public static class WaveGates
{
    /// <summary>The report for <paramref name="plan"/>'s next wave given the KPI <paramref name="measurements"/> by metric.</summary>
    public static WaveGateReport Evaluate(
        RolloutPlan plan, IReadOnlyList<string> allDepartments, IReadOnlyDictionary<string, Measurement> measurements, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(measurements);
        if (plan.Finished)
        {
            return new WaveGateReport(plan.Name, null, [], []);
        }

        var departments = plan.DepartmentsOf(plan.Served, allDepartments);
        var gates = new List<GateResult>();
        foreach (var department in departments)
        {
            var missing = ReadinessItems.All
                .Where(item => !plan.Checklist.Any(t => t.Item == item.Name && string.Equals(t.Department, department, StringComparison.OrdinalIgnoreCase)))
                .Select(item => item.Name)
                .ToArray();
            var done = ReadinessItems.All.Count - missing.Length;
            gates.Add(new GateResult($"readiness:{department}", GateKind.Readiness, done, $"{ReadinessItems.All.Count}/{ReadinessItems.All.Count}",
                missing.Length == 0,
                missing.Length == 0 ? "all seven items ticked" : $"not ticked: {string.Join(", ", missing)}"));
        }

        if (plan.Served > 0)
        {
            var soaked = now - plan.ServedAt[plan.Served - 1];
            gates.Add(new GateResult("soak", GateKind.Soak, soaked.TotalHours, $">={plan.Soak.TotalHours.ToString("0.##", CultureInfo.InvariantCulture)}h",
                soaked >= plan.Soak,
                soaked >= plan.Soak
                    ? $"wave {plan.Served} has served for {Describe(soaked)}"
                    : $"wave {plan.Served} has served for {Describe(soaked)} of the {Describe(plan.Soak)} soak"));
            foreach (var gate in plan.Gates)
            {
                var measured = measurements.GetValueOrDefault(gate.Metric) ?? Measurement.None("not measured");
                var threshold = gate.ToString()[gate.Metric.Length..];
                gates.Add(measured.Value is { } value
                    ? new GateResult(gate.Metric, GateKind.Kpi, value, threshold, gate.Passes(value), measured.Detail)
                    : new GateResult(gate.Metric, GateKind.Kpi, null, threshold, false, $"no data yet: {measured.Detail}"));
            }
        }

        return new WaveGateReport(plan.Name, plan.Served + 1, departments, gates);
    }

    private static string Describe(TimeSpan span) => span.TotalHours >= 1
        ? $"{span.TotalHours.ToString("0.#", CultureInfo.InvariantCulture)}h"
        : $"{span.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture)}m";
}
