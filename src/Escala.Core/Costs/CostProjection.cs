namespace Escala.Core.Costs;

/// <summary>What the pilot measured, the input of a <see cref="CostProjection"/>.</summary>
/// <param name="Predictions">Predictions the pilot departments made over <paramref name="Days"/>.</param>
/// <param name="ActiveUsers">Distinct active users in the pilot departments over the same days.</param>
/// <param name="Days">The measured period in days.</param>
/// <param name="RemainingHeadcount">The headcount of the departments in the waves not served yet.</param>
public sealed record PilotUsage(long Predictions, long ActiveUsers, int Days, long RemainingHeadcount);

/// <summary>The projected month at full organisation scale next to the pilot's month.</summary>
/// <param name="PilotMonthlyPredictions">The pilot's volume scaled to a 30-day month.</param>
/// <param name="PredictionsPerUserMonth">Predictions per active user per 30 days in the pilot.</param>
/// <param name="ProjectedMonthlyPredictions">Pilot volume plus per-user volume × the remaining headcount.</param>
/// <param name="PeakPerSecond">The busiest second expected at full scale (see <see cref="CostProjection.PeakFactor"/>).</param>
/// <param name="PilotNodes">Nodes running now.</param>
/// <param name="ProjectedNodes">Nodes needed at full scale (from the measured capacity when there is one, else the pilot's).</param>
/// <param name="PilotMonthlyCost">The pilot's month.</param>
/// <param name="ProjectedMonthlyCost">The month at full scale.</param>
/// <param name="GrowthFactor">Projected over pilot cost (pilots typically understate production cost 3-5x); null when the pilot costs nothing.</param>
public sealed record ProjectedCost(
    long PilotMonthlyPredictions, double PredictionsPerUserMonth, long ProjectedMonthlyPredictions, double PeakPerSecond,
    int PilotNodes, int ProjectedNodes, decimal PilotMonthlyCost, decimal ProjectedMonthlyCost, double? GrowthFactor);

/// <summary>
/// Projects a pilot to the whole organisation: the pilot's predictions per active user × the headcount of the
/// remaining waves (every employee there taken as a user, the plan's stated goal), added to the pilot's own
/// volume; the nodes that load needs; and the cost of that month under the <see cref="CostModel"/>.
/// </summary>
public static class CostProjection
{
    /// <summary>Working seconds in a 30-day month: 22 working days of 8 hours, when people use the models.</summary>
    public const double WorkingSecondsPerMonth = 22 * 8 * 3600.0;

    /// <summary>The busiest second relative to the working-hours average.</summary>
    public const double PeakFactor = 2.0;

    /// <summary>The projection; <paramref name="nodePeakThroughput"/> is a node's measured peak (predictions/s), or null when no capacity test ran.</summary>
    public static ProjectedCost Project(PilotUsage pilot, CostModel model, double? nodePeakThroughput, double headroom = Capacity.NodePlan.DefaultHeadroom)
    {
        ArgumentNullException.ThrowIfNull(pilot);
        ArgumentNullException.ThrowIfNull(model);
        if (pilot.Days <= 0 || pilot.Predictions < 0 || pilot.ActiveUsers < 0 || pilot.RemainingHeadcount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(pilot), "The pilot's period must be positive and its counts non-negative.");
        }

        var monthly = (long)Math.Round(pilot.Predictions * 30.0 / pilot.Days);
        var perUser = pilot.ActiveUsers == 0 ? 0 : (double)monthly / pilot.ActiveUsers;
        var projected = monthly + (long)Math.Round(perUser * pilot.RemainingHeadcount);
        var peak = projected / WorkingSecondsPerMonth * PeakFactor;
        var nodes = nodePeakThroughput is { } capacity && capacity > 0
            ? Math.Max(model.Nodes, Capacity.NodePlan.NodesNeeded(peak, capacity, headroom))
            : model.Nodes;
        var pilotCost = model.MonthlyCost(monthly);
        var projectedCost = model.MonthlyCost(projected, nodes);
        return new ProjectedCost(monthly, perUser, projected, peak, model.Nodes, nodes, decimal.Round(pilotCost, 2), decimal.Round(projectedCost, 2),
            pilotCost == 0 ? null : (double)(projectedCost / pilotCost));
    }
}
