using Escala.Core.Adoption;
using Escala.Core.Capacity;
using Escala.Core.Costs;
using Escala.Core.Departments;
using Escala.Core.Endpoints;
using Escala.Core.Rollouts;
using Escala.Core.UseCases;

namespace Escala.Server.Organisation;

/// <summary>
/// This month's cost from the durable usage counters and the cost models: each pool (the installation's model over
/// all traffic, each use case's model over its traffic) projected to a 30-day month and charged back to departments
/// by their predictions so the shares add up to the pool exactly; versions' CPU cost from their capacity tests; and
/// each running rollout plan's projection to every wave.
/// </summary>
public sealed class CostReport(
    IUsageStore usage, UsageTally tally, CostCatalog costs, UseCaseCatalog useCases, DepartmentDirectory departments,
    IRolloutStore rollouts, EndpointCatalog endpoints, ICapacityStore capacity, TimeProvider time)
{
    /// <summary>The label of traffic attributed to no department.</summary>
    public const string NoDepartment = "(none)";

    /// <summary>The view now.</summary>
    public async Task<CostView> GetAsync(CancellationToken cancellationToken = default)
    {
        await tally.FlushAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var today = UsageDay.Of(now);
        var monthStart = new DateOnly(now.UtcDateTime.Year, now.UtcDateTime.Month, 1);
        var firstDay = today - (now.UtcDateTime.Day - 1);
        var elapsed = today - firstDay + 1;
        var totals = await usage.TotalsAsync(firstDay, today, cancellationToken).ConfigureAwait(false);
        var models = await costs.ModelsAsync(cancellationToken).ConfigureAwait(false);
        var cases = await useCases.ListAsync(cancellationToken).ConfigureAwait(false);
        var installation = models.FirstOrDefault(m => m.Scope == CostModel.Installation);

        var pools = new List<PoolCost>();
        var charges = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);
        void Pool(CostModel model, IEnumerable<UsageTotal> traffic)
        {
            var byDepartment = traffic.GroupBy(t => t.Department.Length == 0 ? NoDepartment : t.Department, StringComparer.OrdinalIgnoreCase)
                .Select(g => (g.Key, g.Sum(t => t.Predictions))).OrderBy(x => x.Key, StringComparer.Ordinal).ToArray();
            var toDate = byDepartment.Sum(d => d.Item2);
            var projected = (long)Math.Round(toDate * 30.0 / elapsed);
            var cost = decimal.Round(model.MonthlyCost(projected), 2);
            pools.Add(new PoolCost(model.Scope, toDate, projected, cost, projected == 0 ? null : decimal.Round(cost / projected * 1000, 4)));
            foreach (var (department, amount) in Chargeback.Allocate(cost, byDepartment))
            {
                charges[department] = charges.GetValueOrDefault(department) + amount;
            }
        }

        if (installation is not null)
        {
            Pool(installation, totals);
        }

        foreach (var model in models.Where(m => m.Scope != CostModel.Installation))
        {
            var useCase = cases.FirstOrDefault(u => u.Name == model.Scope);
            if (useCase is not null)
            {
                Pool(model, totals.Where(t => AdoptionSummary.Serves(useCase, t.Department, t.Endpoint)));
            }
        }

        var budgets = await costs.BudgetsAsync(cancellationToken).ConfigureAwait(false);
        var predictions = totals.GroupBy(t => t.Department.Length == 0 ? NoDepartment : t.Department, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Sum(t => t.Predictions), StringComparer.OrdinalIgnoreCase);
        var names = charges.Keys.Union(budgets.Select(b => b.Department), StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal);
        var departmentCharges = names.Select(name =>
        {
            var charge = charges.GetValueOrDefault(name);
            var budget = budgets.FirstOrDefault(b => string.Equals(b.Department, name, StringComparison.OrdinalIgnoreCase))?.Monthly;
            return new DepartmentCharge(name, predictions.GetValueOrDefault(name), charge, budget, budget is { } b && charge > b);
        }).ToArray();

        var nodePrice = installation?.NodeCostPerHour ?? 0;
        var versions = new List<VersionCost>();
        foreach (var endpoint in await endpoints.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var target in endpoint.Routing.Targets)
            {
                if (await capacity.LatestAsync(target.Key, cancellationToken).ConfigureAwait(false) is { } test)
                {
                    // A node-hour buys 3.6 million CPU milliseconds; a prediction uses CpuMillisecondsPerPrediction of them.
                    var per1000 = (decimal)test.CpuMillisecondsPerPrediction * 1000m * nodePrice / 3_600_000m;
                    versions.Add(new VersionCost(endpoint.Name, target.Key, test.CpuMillisecondsPerPrediction, decimal.Round(per1000, 6), test.PeakThroughput));
                }
            }
        }

        var projections = new List<PlanProjection>();
        var all = await departments.ListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var plan in await rollouts.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (plan.Served == 0)
            {
                continue;
            }

            var model = models.FirstOrDefault(m => m.Scope == plan.UseCase) ?? installation;
            if (model is null)
            {
                continue;
            }

            var projection = await ProjectAsync(plan, model, all, today, cancellationToken).ConfigureAwait(false);
            projections.Add(new PlanProjection(plan.Name, plan.UseCase, plan.Served, plan.Waves.Length, projection));
        }

        return new CostView(monthStart, elapsed, installation?.Currency ?? models.FirstOrDefault()?.Currency ?? "EUR",
            pools.Sum(p => p.ProjectedMonthlyCost), pools, departmentCharges, versions, projections);
    }

    /// <summary>A plan's projection: the first wave's last 28 days (its pilot) scaled to the headcount of every later wave.</summary>
    public async Task<ProjectedCost> ProjectAsync(RolloutPlan plan, CostModel model, IReadOnlyList<Department> all, int today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(all);
        var names = all.Select(d => d.Name).ToArray();
        var pilot = plan.DepartmentsOf(0, names).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var from = today - 27;
        var traffic = (await usage.TotalsAsync(from, today, cancellationToken).ConfigureAwait(false))
            .Where(t => t.Endpoint == plan.Endpoint && pilot.Contains(t.Department)).Sum(t => t.Predictions);
        var users = (await usage.ActiveUsersByDepartmentAsync(from, [plan.Endpoint], cancellationToken).ConfigureAwait(false))
            .Where(u => pilot.Contains(u.Department)).Sum(u => u.Users);
        var remaining = Enumerable.Range(1, plan.Waves.Length - 1).SelectMany(i => plan.DepartmentsOf(i, names)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var headcount = all.Where(d => remaining.Contains(d.Name)).Sum(d => (long)d.Headcount);
        // The pilot's days: from its first wave's start (at most 28).
        var days = Math.Clamp(today - UsageDay.Of(plan.ServedAt[0]) + 1, 1, 28);
        var peak = (await capacity.LatestAsync(plan.Target, cancellationToken).ConfigureAwait(false))?.PeakThroughput;
        return CostProjection.Project(new PilotUsage(traffic, users, days, headcount), model, peak);
    }
}
