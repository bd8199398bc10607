namespace Escala.Core.Costs;

/// <summary>One cost pool (the installation's or a use case's): its traffic this month and its projected month.</summary>
public sealed record PoolCost(string Scope, long PredictionsToDate, long ProjectedPredictions, decimal ProjectedMonthlyCost, decimal? CostPer1000);

/// <summary>A department's share of every pool, by its predictions, and its budget.</summary>
public sealed record DepartmentCharge(string Department, long PredictionsToDate, decimal ProjectedMonthlyCharge, decimal? MonthlyBudget, bool OverBudget);

/// <summary>A version's measured CPU cost: CPU time per prediction (from its capacity test) at the node's hourly price.</summary>
public sealed record VersionCost(string Endpoint, string Version, double CpuMillisecondsPerPrediction, decimal CpuCostPer1000, double PeakThroughput);

/// <summary>A rollout plan's projection from its served waves to every wave.</summary>
public sealed record PlanProjection(string Plan, string UseCase, int ServedWaves, int Waves, ProjectedCost Projection);

/// <summary>This month's cost, projected to a 30-day month, charged back per department, with per-version costs and plan projections.</summary>
public sealed record CostView(
    DateOnly MonthStart, int DaysElapsed, string Currency, decimal ProjectedMonthlyTotal, IReadOnlyList<PoolCost> Pools,
    IReadOnlyList<DepartmentCharge> Departments, IReadOnlyList<VersionCost> Versions, IReadOnlyList<PlanProjection> Projections);
