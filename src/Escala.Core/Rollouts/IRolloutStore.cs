using Escala.Core.Audit;
using Escala.Core.Endpoints;

namespace Escala.Core.Rollouts;

/// <summary>Where rollout plans live. Every change appends its audit entries in the same transaction.</summary>
public interface IRolloutStore
{
    /// <summary>The plan, or null.</summary>
    Task<RolloutPlan?> FindAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>All plans by name.</summary>
    Task<IReadOnlyList<RolloutPlan>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a plan; false (and nothing written) when the name is taken.</summary>
    Task<bool> TryAddAsync(RolloutPlan plan, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the plan when its stored generation is still <paramref name="expectedGeneration"/> and, when
    /// <paramref name="endpointChange"/> is given, applies that endpoint change (guarded by its own generation)
    /// in the same transaction: a wave's routing and the plan's state change together or not at all.
    /// False (and nothing written) when either changed first.
    /// </summary>
    Task<bool> TryUpdateAsync(RolloutPlan plan, long expectedGeneration, AuditEntry audit, EndpointChange? endpointChange, CancellationToken cancellationToken = default);
}

/// <summary>Measures a plan's KPI gates on live traffic: one <see cref="Measurement"/> per gate metric.</summary>
public interface IRolloutMeasurements
{
    /// <summary>The metrics of <paramref name="plan"/>'s traffic from <paramref name="departments"/> since <paramref name="since"/>.</summary>
    Task<IReadOnlyDictionary<string, Measurement>> MeasureAsync(RolloutPlan plan, IReadOnlyList<string> departments, DateTimeOffset since, CancellationToken cancellationToken = default);
}
