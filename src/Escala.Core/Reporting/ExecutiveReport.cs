using Escala.Core.Adoption;
using Escala.Core.Costs;
using Escala.Core.Monitoring.Status;
using Escala.Core.Rollouts;
using Escala.Core.Satisfaction;

namespace Escala.Core.Reporting;

/// <summary>A plan with its next wave's gates, as the report shows it.</summary>
public sealed record PlanStatus(RolloutPlan Plan, WaveGateReport Gates);

/// <summary>
/// What a programme lead and the executives read: the rollout waves and their gates, adoption with the five measures,
/// impact, cost with the projection, satisfaction, and incidents and uptime per endpoint.
/// </summary>
public sealed record ExecutiveReport(
    DateTimeOffset At,
    IReadOnlyList<PlanStatus> Plans,
    AdoptionView Adoption,
    CostView Costs,
    IReadOnlyList<SatisfactionView> Satisfaction,
    IReadOnlyList<EndpointStatus> Endpoints);
