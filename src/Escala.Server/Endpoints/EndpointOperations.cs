using System.Collections.Concurrent;
using Escala.Core.Access;
using Escala.Core.Endpoints;
using Escala.Core.Problems;
using Escala.Core.Registry;
using Escala.Core.Routing;
using Escala.Server.Serving;
using Microsoft.Extensions.Logging;

namespace Escala.Server.Endpoints;

/// <summary>
/// Applies control-plane changes to endpoints with zero downtime: plan the change (Core rules),
/// load and warm every version the new state adds, commit it with its audit entry, then swap the
/// new snapshot in atomically. If a new version cannot be loaded nothing is committed and the old
/// snapshot keeps serving. Changes to one endpoint are applied one at a time; requests are never
/// blocked by them.
/// </summary>
public sealed partial class EndpointOperations(
    EndpointCatalog catalog,
    ModelRegistry registry,
    SnapshotBuilder builder,
    LiveEndpoints live,
    ServingBackends backends,
    ILogger<EndpointOperations> logger)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    /// <summary>Creates an endpoint (nothing deployed) and starts serving it.</summary>
    public async Task<Endpoint> CreateAsync(Principal caller, EndpointDraft draft, CancellationToken cancellationToken)
    {
        var endpoint = await catalog.CreateAsync(caller, draft, cancellationToken).ConfigureAwait(false);
        live.Publish(await builder.BuildAsync(endpoint, EmptySet, cancellationToken).ConfigureAwait(false));
        return endpoint;
    }

    /// <summary>Deploys a version (or external backend) with a strategy.</summary>
    public Task<EndpointChange> DeployAsync(Principal caller, string name, Deployment deployment, CancellationToken cancellationToken) =>
        ApplyAsync(name, async endpoint =>
        {
            await CheckDeployableAsync(deployment.Target, cancellationToken).ConfigureAwait(false);
            return await catalog.PlanDeployAsync(caller, endpoint, deployment, cancellationToken).ConfigureAwait(false);
        }, cancellationToken)!;

    /// <summary>Moves a rollout one step forward.</summary>
    public Task<EndpointChange> PromoteAsync(Principal caller, string name, string? department, string? to, CancellationToken cancellationToken) =>
        ApplyAsync(name, e => Task.FromResult<EndpointChange?>(catalog.PlanPromote(caller, e, department, to)), cancellationToken)!;

    /// <summary>Returns traffic to the version that served before the current rollout.</summary>
    public Task<EndpointChange> RollbackAsync(Principal caller, string name, string? department, CancellationToken cancellationToken) =>
        ApplyAsync(name, e => Task.FromResult<EndpointChange?>(catalog.PlanRollback(caller, e, department)), cancellationToken)!;

    /// <summary>Sets or clears (null) the fallback version.</summary>
    public Task<EndpointChange> SetFallbackAsync(Principal caller, string name, ServingTarget? fallback, CancellationToken cancellationToken) =>
        ApplyAsync(name, async endpoint =>
        {
            if (fallback is not null)
            {
                await CheckDeployableAsync(fallback, cancellationToken).ConfigureAwait(false);
            }

            return catalog.PlanFallback(caller, endpoint, fallback);
        }, cancellationToken)!;

    /// <summary>Changes settings (deadline, default answer, log sample, subject field).</summary>
    public Task<EndpointChange> UpdateSettingsAsync(Principal caller, string name, SettingsChange change, CancellationToken cancellationToken) =>
        ApplyAsync(name, e => Task.FromResult<EndpointChange?>(catalog.PlanSettings(caller, e, change)), cancellationToken)!;

    /// <summary>Advances the endpoint's timed canaries that are due; null when none was.</summary>
    public Task<EndpointChange?> AdvanceDueAsync(string name, CancellationToken cancellationToken) =>
        ApplyAsync(name, e => Task.FromResult(catalog.PlanAdvance(e)), cancellationToken);

    /// <summary>
    /// Applies a change planned by another feature that stores it itself, together with its own state (a rollout
    /// wave: plan and routing in one transaction): the versions are loaded and warmed first, <paramref name="commit"/>
    /// stores the change, then the new snapshot serves.
    /// </summary>
    public Task<EndpointChange?> ApplyAsync(string name, Func<Endpoint, Task<EndpointChange?>> plan, Func<EndpointChange, Task> commit, CancellationToken cancellationToken) =>
        ApplyAsync(name, plan, cancellationToken, commit);

    /// <summary>Rebuilds an endpoint's snapshot from storage (another node changed it, or a version became loadable again).</summary>
    public async Task ReloadAsync(string name, CancellationToken cancellationToken)
    {
        var endpoint = await catalog.GetAsync(name, cancellationToken).ConfigureAwait(false);
        live.Publish(await builder.BuildAsync(endpoint, EmptySet, cancellationToken).ConfigureAwait(false));
    }

    private static readonly IReadOnlySet<string> EmptySet = new HashSet<string>();

    private async Task<EndpointChange?> ApplyAsync(
        string name, Func<Endpoint, Task<EndpointChange?>> plan, CancellationToken cancellationToken, Func<EndpointChange, Task>? commit = null)
    {
        var gate = _gates.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = await catalog.GetAsync(name, cancellationToken).ConfigureAwait(false);
            var change = await plan(current).ConfigureAwait(false);
            if (change is null)
            {
                return null;
            }

            // Versions this change adds must load and warm now, before anything is committed or served.
            var before = change.Before.Routing.Targets.Select(t => t.Key).ToHashSet(StringComparer.Ordinal);
            var added = change.After.Routing.Targets.Select(t => t.Key).Where(k => !before.Contains(k)).ToHashSet(StringComparer.Ordinal);
            var snapshot = await builder.BuildAsync(change.After, added, cancellationToken).ConfigureAwait(false);

            await (commit is null ? catalog.CommitAsync(change, CancellationToken.None) : commit(change)).ConfigureAwait(false);
            live.Publish(snapshot);
            backends.Retain(live.All.SelectMany(s => s.Endpoint.Routing.Targets));
            LogApplied(logger, change.Audit.Action, name, change.After.Generation, change.Message);
            return change;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task CheckDeployableAsync(ServingTarget target, CancellationToken cancellationToken)
    {
        if (target is not LocalModelTarget local)
        {
            return;
        }

        var version = await registry.GetVersionAsync(local.Model, local.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        if (version.Stage == Stage.Archived)
        {
            throw ProblemTypes.ValidationFailed.With(
                $"{local.Key} is archived; restore it to staging (`escala models stage {local.Model} {local.Version} staging`) before deploying it.");
        }
    }

    [LoggerMessage(EventId = 3020, Level = LogLevel.Information, Message = "{Action} on endpoint {Endpoint} (generation {Generation}): {Message}")]
    private static partial void LogApplied(ILogger logger, string action, string endpoint, long generation, string message);
}
