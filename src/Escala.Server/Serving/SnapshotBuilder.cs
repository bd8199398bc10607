using System.Collections.Concurrent;
using Escala.Core.Endpoints;
using Escala.Core.Routing;
using Escala.Onnx.Tensors;
using Microsoft.Extensions.Options;

namespace Escala.Server.Serving;

/// <summary>
/// Turns a stored endpoint into a <see cref="ServingSnapshot"/>: compiles its routing table, gets
/// every target's backend loaded and warmed, and pairs each with the guard and counters kept for
/// that endpoint and target; the observers then prepare for it before it serves.
/// </summary>
public sealed class SnapshotBuilder(
    ServingBackends backends, PredictionExecutor executor, IOptions<BreakerOptions> breaker, IOptions<GatewayOptions> gateway, TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Endpoint, string Target), (TargetGuard<IReadOnlyDictionary<string, OnnxValue>> Guard, TargetCounters Counters)> _kept = new();

    /// <summary>
    /// Builds the snapshot. Targets in <paramref name="mustLoad"/> (those a change is adding) must load,
    /// or the build throws and nothing changes; every other target that fails to load is served as
    /// unavailable, so one broken version never takes its endpoint down.
    /// </summary>
    public async Task<ServingSnapshot> BuildAsync(Endpoint endpoint, IReadOnlySet<string> mustLoad, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var plan = RoutingPlan.Compile(endpoint.Routing);
        var targets = new TargetRuntime[plan.Targets.Length];
        var budget = endpoint.Settings.MemoryBudgetBytes ?? gateway.Value.DefaultMemoryBudgetBytes;
        for (var i = 0; i < targets.Length; i++)
        {
            var spec = endpoint.Routing.FindTarget(plan.Targets[i])!;
            var backend = mustLoad.Contains(spec.Key)
                ? await backends.GetAsync(spec, cancellationToken).ConfigureAwait(false)
                : await backends.GetOrUnavailableAsync(spec, cancellationToken).ConfigureAwait(false);
            var (guard, counters) = _kept.GetOrAdd((endpoint.Name, spec.Key),
                key => (new TargetGuard<IReadOnlyDictionary<string, OnnxValue>>($"{key.Endpoint}/{key.Target}", breaker.Value, time), new TargetCounters()));
            // The session is shared; this endpoint's runs of it get this endpoint's memory budget.
            targets[i] = new TargetRuntime(spec, backend is LocalModelBackend local ? local.WithMemoryBudget(budget) : backend, guard, counters);
        }

        var deadline = endpoint.Settings.DeadlineMs is { } ms ? TimeSpan.FromMilliseconds(ms) : gateway.Value.DefaultDeadline;
        var snapshot = new ServingSnapshot(endpoint, plan, targets, deadline);
        foreach (var observer in executor.Observers.ToArray())
        {
            await observer.PrepareAsync(snapshot, cancellationToken).ConfigureAwait(false);
        }

        return snapshot;
    }
}
