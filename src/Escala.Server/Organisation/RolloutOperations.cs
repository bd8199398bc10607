using Escala.Core.Access;
using Escala.Core.Endpoints;
using Escala.Core.Rollouts;
using Escala.Server.Endpoints;

namespace Escala.Server.Organisation;

/// <summary>
/// Rollout plans on the live gateway: an advance or rollback is planned by Core, its versions are loaded and warmed
/// by the gateway, then the plan's new state and the endpoint's new routing are stored in one transaction and the
/// new routing serves at once. Nothing changes when a gate, the version or the commit fails.
/// </summary>
public sealed class RolloutOperations(RolloutCatalog catalog, EndpointOperations endpoints)
{
    /// <summary>Creates a plan.</summary>
    public Task<RolloutPlan> CreateAsync(Principal caller, RolloutDraft draft, CancellationToken cancellationToken) => catalog.CreateAsync(caller, draft, cancellationToken);

    /// <summary>Serves the next wave (or refuses naming every failing gate).</summary>
    public Task<RolloutStep> AdvanceAsync(Principal caller, string name, string? overrideReason, CancellationToken cancellationToken) =>
        ApplyAsync(name, (plan, endpoint) => catalog.PlanAdvanceAsync(caller, plan, endpoint, overrideReason, cancellationToken), cancellationToken);

    /// <summary>Takes the last served wave back.</summary>
    public Task<RolloutStep> RollbackAsync(Principal caller, string name, CancellationToken cancellationToken) =>
        ApplyAsync(name, (plan, endpoint) => catalog.PlanRollbackAsync(caller, plan, endpoint, cancellationToken), cancellationToken);

    private async Task<RolloutStep> ApplyAsync(string name, Func<RolloutPlan, Endpoint, Task<RolloutStep>> plan, CancellationToken cancellationToken)
    {
        var current = await catalog.GetAsync(name, cancellationToken).ConfigureAwait(false);
        RolloutStep? step = null;
        await endpoints.ApplyAsync(
            current.Endpoint,
            async endpoint =>
            {
                step = await plan(current, endpoint).ConfigureAwait(false);
                return step.EndpointChange;
            },
            _ => catalog.CommitAsync(step!, CancellationToken.None),
            cancellationToken).ConfigureAwait(false);
        return step!;
    }
}
