using Escala.Core.Endpoints;
using Escala.Core.Reporting;
using Escala.Core.Rollouts;
using Escala.Core.Satisfaction;
using Escala.Server.Monitoring.Status;

namespace Escala.Server.Organisation;

/// <summary>Gathers the executive report from the services that own each part (the API and a dashboard page both call it).</summary>
public sealed class ExecutiveReports(
    RolloutCatalog rollouts, AdoptionReport adoption, CostReport costs, SatisfactionService satisfaction, EndpointCatalog endpoints, StatusReports status, TimeProvider time)
{
    /// <summary>The report now, adoption over <paramref name="weeks"/> weeks.</summary>
    public async Task<ExecutiveReport> GetAsync(int weeks = 12, CancellationToken cancellationToken = default)
    {
        var plans = new List<PlanStatus>();
        foreach (var plan in await rollouts.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            plans.Add(new PlanStatus(plan, await rollouts.GatesAsync(plan, cancellationToken).ConfigureAwait(false)));
        }

        var view = await adoption.GetAsync(weeks, cancellationToken).ConfigureAwait(false);
        var cost = await costs.GetAsync(cancellationToken).ConfigureAwait(false);
        var ratings = new List<SatisfactionView>();
        var statuses = new List<Core.Monitoring.Status.EndpointStatus>();
        var now = time.GetUtcNow();
        foreach (var endpoint in await endpoints.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            ratings.Add(await satisfaction.GetAsync(endpoint.Name, now.AddDays(-7 * weeks), null, cancellationToken).ConfigureAwait(false));
            statuses.Add(await status.GetAsync(endpoint.Name, cancellationToken).ConfigureAwait(false));
        }

        return new ExecutiveReport(now, plans, view, cost, ratings, statuses);
    }
}
