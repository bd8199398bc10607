using System.Globalization;
using Escala.Core.Adoption;
using Escala.Core.Costs;
using Escala.Core.Departments;
using Escala.Core.Monitoring.Latency;
using Escala.Core.Rollouts;
using Escala.Server.Monitoring.GroundTruth;
using Escala.Server.Monitoring.Live;

namespace Escala.Server.Organisation;

/// <summary>
/// Measures a plan's KPI gates on the served departments' live traffic: error rate from the durable usage counters
/// since the last wave's day, p99 latency from the gateway's live histograms of the plan's version (since this
/// node started), accuracy from ground truth, adoption depth over the last 7 days, satisfaction since the last wave,
/// and cost per 1,000 predictions from the cost report. No data is a measurement with a reason, never a pass.
/// </summary>
public sealed class RolloutMeasurements(
    IUsageStore usage, UsageTally tally, LiveMetrics live, GroundTruthMetricsSource groundTruth, SatisfactionService satisfaction,
    DepartmentDirectory departments, CostReport costs, TimeProvider time) : IRolloutMeasurements
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <inheritdoc/>
    public async Task<IReadOnlyDictionary<string, Measurement>> MeasureAsync(RolloutPlan plan, IReadOnlyList<string> served, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(served);
        await tally.FlushAsync(cancellationToken).ConfigureAwait(false);
        var set = served.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var result = new Dictionary<string, Measurement>(StringComparer.Ordinal);
        var metrics = plan.Gates.Select(g => g.Metric).ToHashSet(StringComparer.Ordinal);
        var today = UsageDay.Of(time.GetUtcNow());

        if (metrics.Contains("error_rate"))
        {
            var traffic = (await usage.TargetTotalsAsync(plan.Endpoint, UsageDay.Of(since), today, cancellationToken).ConfigureAwait(false))
                .Where(t => set.Contains(t.Department)).ToArray();
            var requests = traffic.Sum(t => t.Predictions);
            var errors = traffic.Sum(t => t.Errors);
            result["error_rate"] = requests == 0
                ? Measurement.None("no prediction from the served departments yet")
                : new Measurement((double)errors / requests, $"{errors} failed of {requests} predictions");
        }

        if (metrics.Contains("p99_latency_ms"))
        {
            LatencySnapshot? merged = null;
            foreach (var series in live.Of(plan.Endpoint))
            {
                if (series.Target == plan.Target && series.Department is { } d && set.Contains(d))
                {
                    var snapshot = series.Latency.Snapshot();
                    merged = merged is null ? snapshot : LatencySnapshot.Merge(merged, snapshot);
                }
            }

            result["p99_latency_ms"] = merged is null || merged.Count == 0
                ? Measurement.None("no request timed on this node yet")
                : new Measurement(merged.Quantile(0.99) / 1000, $"p99 of {merged.Count} requests on this node");
        }

        if (metrics.Contains("accuracy") || metrics.Contains("accuracy_drop"))
        {
            var window = $"{Math.Max(1, (long)Math.Ceiling((time.GetUtcNow() - since).TotalSeconds))}s";
            var view = await groundTruth.GetAsync(plan.Endpoint, window, true, cancellationToken).ConfigureAwait(false);
            var entries = view.Versions.Where(v => v.Target == plan.Target && v.Department is { } d && set.Contains(d)).ToArray();
            var labels = entries.Sum(e => e.Labels);
            var name = entries.SelectMany(e => e.Metrics.Keys).FirstOrDefault(k => k == "accuracy") ?? entries.SelectMany(e => e.Metrics.Keys).FirstOrDefault();
            if (labels == 0 || name is null)
            {
                result["accuracy"] = result["accuracy_drop"] = Measurement.None("no ground truth for the served departments yet");
            }
            else
            {
                // Label-weighted mean over the served departments.
                var value = entries.Where(e => e.Metrics.ContainsKey(name)).Sum(e => e.Metrics[name] * e.Labels) / entries.Where(e => e.Metrics.ContainsKey(name)).Sum(e => e.Labels);
                result["accuracy"] = new Measurement(value, $"{name} over {labels} labels");
                var drops = entries.Where(e => e.Drop.ContainsKey(name)).ToArray();
                result["accuracy_drop"] = drops.Length == 0
                    ? Measurement.None($"the version has no registered {name} to compare with")
                    : new Measurement(drops.Sum(e => e.Drop[name] * e.Labels) / drops.Sum(e => e.Labels), $"registered minus live {name} over {labels} labels");
            }
        }

        if (metrics.Contains("adoption_depth"))
        {
            var headcount = (await departments.ListAsync(cancellationToken).ConfigureAwait(false)).Where(d => set.Contains(d.Name)).Sum(d => d.Headcount);
            var users = (await usage.ActiveUsersByDepartmentAsync(today - 6, [plan.Endpoint], cancellationToken).ConfigureAwait(false))
                .Where(u => set.Contains(u.Department)).Sum(u => u.Users);
            result["adoption_depth"] = headcount == 0
                ? Measurement.None("the served departments have no headcount set")
                : new Measurement((double)users / headcount, $"{users} active users over 7 days of {headcount} people");
        }

        if (metrics.Contains("satisfaction"))
        {
            var view = await satisfaction.GetAsync(plan.Endpoint, since, set, cancellationToken).ConfigureAwait(false);
            result["satisfaction"] = view.Mean is { } mean
                ? new Measurement(mean, $"mean of {view.Ratings} ratings")
                : Measurement.None("no rating from the served departments since the last wave");
        }

        if (metrics.Contains("cost_per_1000"))
        {
            var view = await costs.GetAsync(cancellationToken).ConfigureAwait(false);
            var pool = view.Pools.FirstOrDefault(p => p.Scope == plan.UseCase) ?? view.Pools.FirstOrDefault(p => p.Scope == CostModel.Installation);
            result["cost_per_1000"] = pool?.CostPer1000 is { } per1000
                ? new Measurement((double)per1000, $"{per1000.ToString("0.####", Invariant)} {view.Currency} per 1,000 predictions ({pool.Scope} pool)")
                : Measurement.None("no cost model or no traffic this month");
        }

        return result;
    }
}
