using System.Text.Json;
using Escala.Core.Endpoints;
using Escala.Core.Routing;

namespace Escala.Server.Serving;

/// <summary>
/// Everything one request to an endpoint needs, frozen: the endpoint as stored, its compiled router,
/// the loaded targets (aligned with <see cref="RoutingPlan.Targets"/>), the deadline and the default
/// answer. A request captures the snapshot once and finishes on it, so a deploy or rollback that
/// swaps in a new snapshot never changes a request half-way, and no lock is taken to read it.
/// </summary>
public sealed class ServingSnapshot
{
    /// <summary>Creates a snapshot; <paramref name="targets"/> must follow <paramref name="plan"/>'s target order.</summary>
    public ServingSnapshot(Endpoint endpoint, RoutingPlan plan, TargetRuntime[] targets, TimeSpan deadline)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Length != plan.Targets.Length)
        {
            throw new ArgumentException("Targets must match the plan's targets one to one.", nameof(targets));
        }

        Endpoint = endpoint;
        Plan = plan;
        Targets = targets;
        Deadline = deadline;
        DefaultAnswer = endpoint.Settings.DefaultAnswer;
        NeedsSubject = endpoint.Routing.Scopes().Any(s => s.Policy is AbTestPolicy);
        LogThreshold = (ulong)Math.Round(Math.Clamp(endpoint.Settings.LogSampleRate, 0, 1) * (1UL << 32));
    }

    /// <summary>The endpoint as stored.</summary>
    public Endpoint Endpoint { get; }

    /// <summary>Whether every target it routes to is loaded (none stands in as unavailable); readiness and recovery read it.</summary>
    public bool IsFullyAvailable => Array.TrueForAll(Targets, t => t.Backend.IsAvailable);

    /// <summary>The endpoint's name.</summary>
    public string Name => Endpoint.Name;

    /// <summary>The compiled router.</summary>
    public RoutingPlan Plan { get; }

    /// <summary>The targets by plan index.</summary>
    public TargetRuntime[] Targets { get; }

    /// <summary>How long one target may take; zero or less means no deadline.</summary>
    public TimeSpan Deadline { get; }

    /// <summary>One row of outputs for the last link of the fallback chain, or null.</summary>
    public JsonElement? DefaultAnswer { get; }

    /// <summary>True when some scope assigns by subject (an A/B test), so a request's subject is worth looking for in its body.</summary>
    public bool NeedsSubject { get; }

    /// <summary>The request is logged when the stable hash of its id falls below this (out of 2^32).</summary>
    public ulong LogThreshold { get; }

    /// <summary>The fallback chain for a request that starts at <paramref name="primary"/>.</summary>
    public FallbackChain ChainFor(int primary) => new(primary, Plan.Fallback, DefaultAnswer is not null);

    /// <summary>The index of a target named by key, or by a bare version number when exactly one local target has it; -1 otherwise.</summary>
    public int FindPinned(string version)
    {
        var index = Plan.IndexOf(version);
        if (index >= 0)
        {
            return index;
        }

        var found = -1;
        for (var i = 0; i < Targets.Length; i++)
        {
            if (Targets[i].Spec is LocalModelTarget local && local.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) == version)
            {
                if (found >= 0)
                {
                    return -1;
                }

                found = i;
            }
        }

        return found;
    }

    /// <summary>Whether <paramref name="requestId"/> falls in the endpoint's log sample (stable across nodes).</summary>
    public bool ShouldLog(string requestId) =>
        LogThreshold >= (1UL << 32) || (LogThreshold > 0 && StableHash.Bucket("log", requestId) < LogThreshold);
}
